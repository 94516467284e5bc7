// Fuzz target: this machine's configuration files as the platform layer reads them (first byte picks the reader).
//
// Any of them may be damaged or written by someone else: hosts, resolv.conf, /etc/environment,
// gsettings output, KDE's INI files, TZ rules and TZif zone files, OpenSSL, GnuTLS, NSS, Java and
// crypto-policies configuration, Chromium's and Firefox's managed policies, os-release, NTP
// clients' configuration and certutil's listing of an NSS database.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_input.h"
#include "platform_file_kind.h"
#include "platform/environment_file.h"
#include "platform/gsettings_text.h"
#include "platform/hosts_file.h"
#include "platform/ini_file.h"
#include "platform/ntp_config.h"
#include "platform/openssl_conf.h"
#include "platform/os_release.h"
#include "platform/posix_tz.h"
#include "platform/resolv_conf.h"
#include "platform/tls_policy_parsers.h"
#include "platform/tzif.h"
#include "nss_database.h"

namespace platform = tlsdoctor::platform;

namespace {

// An OpenSSL configuration whose every file (includes too) holds `text`: includes that loop
// must still end.
platform::OpenSslConfParse parse_openssl(std::string_view text) {
  platform::OpenSslConfSource source;
  source.read_file = [&](const std::string& path) -> tl::expected<platform::LoadedConfFile, platform::Error> {
    return platform::LoadedConfFile{path, std::string(text)};
  };
  source.list_directory = [](const std::string&) -> std::optional<std::vector<std::string>> {
    return std::vector<std::string>{"a.cnf", "b.conf"};
  };
  source.getenv = [](std::string_view) -> std::optional<std::string> { return std::nullopt; };
  return platform::parse_openssl_conf("/etc/ssl/openssl.cnf", source);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using tlsdoctor::fuzz::PlatformFile;
  if (size == 0) return 0;
  const auto text = tlsdoctor::fuzz::as_text(data + 1, size - 1);
  switch (static_cast<PlatformFile>(data[0] % static_cast<std::uint8_t>(PlatformFile::Count))) {
    case PlatformFile::Hosts: (void)platform::parse_hosts_file(text); break;
    case PlatformFile::ResolvConf: (void)platform::resolv_conf_search_domains(text); break;
    case PlatformFile::Environment: (void)platform::parse_environment_file(text); break;
    case PlatformFile::Gsettings:
      for (const auto& line : platform::parse_gsettings_listing(text)) {
        (void)platform::gvariant_string(line.value);
        (void)platform::gvariant_string_array(line.value);
      }
      break;
    case PlatformFile::Ini: (void)platform::parse_ini(text); break;
    case PlatformFile::PosixTz: (void)platform::parse_posix_tz(text); break;
    case PlatformFile::Tzif: (void)platform::parse_tzif(text); break;
    case PlatformFile::OpenSslConf: {
      const auto parsed = parse_openssl(text);
      for (const auto& section : parsed.conf.sections) (void)platform::openssl_settings_from(section.second);
      break;
    }
    case PlatformFile::GnuTls: (void)platform::parse_gnutls_config(text, "gnutls/config"); break;
    case PlatformFile::JavaSecurity: (void)platform::parse_java_properties(text, "java.security"); break;
    case PlatformFile::NssAndCryptoPolicies: {
      (void)platform::parse_nss_policy(text, "nss.config");
      platform::CryptoPolicies policies;
      platform::parse_crypto_policies_config(text, "crypto-policies/config", policies);
      break;
    }
    case PlatformFile::ChromePolicy: (void)platform::parse_browser_policy(text, "chromium", "policies.json"); break;
    case PlatformFile::FirefoxPolicy: (void)platform::parse_browser_policy(text, "firefox", "policies.json"); break;
    case PlatformFile::OsRelease: (void)platform::parse_os_release(text); break;
    case PlatformFile::NtpKeywords: {
      std::vector<std::string> servers;
      platform::keyword_servers(text, servers);
      tlsdoctor::fuzz::require(servers.size() <= platform::kMaxServersListed, "servers listed are capped");
      break;
    }
    case PlatformFile::Timesyncd: {
      std::vector<std::string> servers;
      std::vector<std::string> fallback;
      platform::timesyncd_servers(text, servers, fallback);
      tlsdoctor::fuzz::require(servers.size() <= platform::kMaxServersListed &&
                                   fallback.size() <= platform::kMaxServersListed,
                               "servers listed are capped");
      break;
    }
    case PlatformFile::CertutilList:
    case PlatformFile::Count: (void)platform::detail::parse_certutil_list(text); break;
  }
  return 0;
}
