// The readers the platform_files fuzz target feeds, by the first byte of each input (the corpus capture writes it).
#pragma once

#include <cstdint>

namespace tlsdoctor::fuzz {

enum class PlatformFile : std::uint8_t {
  Hosts,
  ResolvConf,
  Environment,
  Gsettings,
  Ini,
  PosixTz,
  Tzif,
  OpenSslConf,
  GnuTls,
  JavaSecurity,
  NssAndCryptoPolicies,
  ChromePolicy,
  FirefoxPolicy,
  Count,
};

}  // namespace tlsdoctor::fuzz
