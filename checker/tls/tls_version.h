// TLS protocol versions: one enum for every stack's spelling ("TLSv1.2", "tls1.2", "VERS-TLS1.2").
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace tlsdoctor::tls {

// Ordered oldest first, so versions compare with < and >.
enum class TlsVersion { Ssl3, Tls1_0, Tls1_1, Tls1_2, Tls1_3 };

// The versions the loopback measurement tries (SSL 3 is compiled out of OpenSSL 3).
inline constexpr std::array kMeasuredTlsVersions{TlsVersion::Tls1_0, TlsVersion::Tls1_1, TlsVersion::Tls1_2,
                                                 TlsVersion::Tls1_3};

std::string_view to_string(TlsVersion version);   // "TLS 1.2"
std::string_view short_name(TlsVersion version);  // "1.2"

// OpenSSL's protocol number (TLS1_2_VERSION) and back; nullopt for 0 ("no bound") or DTLS.
int to_openssl(TlsVersion version);
std::optional<TlsVersion> from_openssl(int protocol);

// Reads the spellings policies use: OpenSSL "TLSv1.2" / "TLSv1" / "SSLv3", GnuTLS "TLS1.2" /
// "VERS-TLS1.2", NSS and browsers "tls1.2" / "tls1", Java "TLSv1.1". Case-insensitive.
// nullopt for anything else, including "None" and DTLS versions.
std::optional<TlsVersion> parse_tls_version(std::string_view text);

}  // namespace tlsdoctor::tls
