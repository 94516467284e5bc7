// The readers the platform_files fuzz target feeds, by the first byte of each input (the corpus capture writes it).
#pragma once

#include <cstdint>

namespace tlsdoctor::fuzz {

// New kinds go before Count: a seed's first byte must keep naming the same reader.
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
  OsRelease,
  NtpKeywords,  // chrony, ntpd, OpenNTPD
  Timesyncd,
  CertutilList,  // `certutil -L` output
  Count,
};

}  // namespace tlsdoctor::fuzz
