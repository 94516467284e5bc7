// Names and OpenSSL numbers of TLS versions, and a reader for the spellings policy files use.
#include "tls/tls_version.h"

#include <algorithm>
#include <cctype>
#include <string>

#include <openssl/ssl.h>

namespace tlsdoctor::tls {

std::string_view to_string(TlsVersion version) {
  switch (version) {
    case TlsVersion::Ssl3: return "SSL 3.0";
    case TlsVersion::Tls1_0: return "TLS 1.0";
    case TlsVersion::Tls1_1: return "TLS 1.1";
    case TlsVersion::Tls1_2: return "TLS 1.2";
    case TlsVersion::Tls1_3: return "TLS 1.3";
  }
  return "TLS ?";
}

std::string_view short_name(TlsVersion version) {
  switch (version) {
    case TlsVersion::Ssl3: return "SSL3";
    case TlsVersion::Tls1_0: return "1.0";
    case TlsVersion::Tls1_1: return "1.1";
    case TlsVersion::Tls1_2: return "1.2";
    case TlsVersion::Tls1_3: return "1.3";
  }
  return "?";
}

int to_openssl(TlsVersion version) {
  switch (version) {
    case TlsVersion::Ssl3: return SSL3_VERSION;
    case TlsVersion::Tls1_0: return TLS1_VERSION;
    case TlsVersion::Tls1_1: return TLS1_1_VERSION;
    case TlsVersion::Tls1_2: return TLS1_2_VERSION;
    case TlsVersion::Tls1_3: return TLS1_3_VERSION;
  }
  return 0;
}

std::optional<TlsVersion> from_openssl(int protocol) {
  switch (protocol) {
    case SSL3_VERSION: return TlsVersion::Ssl3;
    case TLS1_VERSION: return TlsVersion::Tls1_0;
    case TLS1_1_VERSION: return TlsVersion::Tls1_1;
    case TLS1_2_VERSION: return TlsVersion::Tls1_2;
    case TLS1_3_VERSION: return TlsVersion::Tls1_3;
    default: return std::nullopt;
  }
}

std::optional<TlsVersion> parse_tls_version(std::string_view text) {
  std::string s;
  for (const char c : text) {
    if (!std::isspace(static_cast<unsigned char>(c))) s.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  if (s.starts_with("vers-")) s.erase(0, 5);  // GnuTLS priority-string form
  if (s == "sslv3" || s == "ssl3" || s == "ssl3.0") return TlsVersion::Ssl3;
  std::string_view rest;
  if (s.starts_with("tlsv")) {
    rest = std::string_view(s).substr(4);
  } else if (s.starts_with("tls")) {
    rest = std::string_view(s).substr(3);
  } else {
    return std::nullopt;
  }
  if (rest == "1" || rest == "1.0" || rest == "10") return TlsVersion::Tls1_0;
  if (rest == "1.1" || rest == "11") return TlsVersion::Tls1_1;
  if (rest == "1.2" || rest == "12") return TlsVersion::Tls1_2;
  if (rest == "1.3" || rest == "13") return TlsVersion::Tls1_3;
  return std::nullopt;
}

}  // namespace tlsdoctor::tls
