// What OpenSSL itself applies to a new client under this process's system configuration.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tls/tls_version.h"

namespace tlsdoctor::tls {

// OpenSSL's compiled-in configuration file, OPENSSLDIR/openssl.cnf ("/usr/lib/ssl/openssl.cnf"
// on Debian), regardless of OPENSSL_CONF: platform's TLS policy reader takes it as its hint.
std::string openssl_default_config_file();

// The file OpenSSL loads in this process: OPENSSL_CONF when set, else the default.
std::string openssl_loaded_config_file();

// "OpenSSL 3.0.11 19 Sep 2023".
std::string openssl_version_text();

struct EffectiveClientPolicy {
  std::string openssl_version;
  std::string config_file;             // what OpenSSL loads in this process
  bool config_found = false;           // false: OpenSSL runs on built-in defaults
  std::optional<std::string> config_error;  // OpenSSL's own parse of it failed: why, with line
  // SSL_CTX_new(TLS_client_method()) under the system configuration: false when OpenSSL
  // refuses to create any client (a broken system_default with config_diagnostics = 1).
  bool context_created = false;
  // Errors OpenSSL raised while applying system_default (a CipherString it rejects, ...).
  std::vector<std::string> context_errors;
  std::optional<TlsVersion> min_version;  // nullopt: no lower bound set (OpenSSL's own floor)
  std::optional<TlsVersion> max_version;  // nullopt: no upper bound set
  int security_level = 0;
  // Suites usable for TLS 1.2 under the policy's cipher string and security level.
  std::vector<std::string> tls12_ciphers;
  // Of those, ECDHE key exchange with AES-GCM or ChaCha20-Poly1305: what modern servers offer.
  std::size_t tls12_modern_ciphers = 0;
  std::vector<std::string> tls13_ciphersuites;
};

// Creates a fresh client context the way any program on this machine would and reads back
// what OpenSSL applied. Loads OpenSSL's configuration if this process has not yet.
EffectiveClientPolicy effective_client_policy();

// OpenSSL's complaint about a cipher string ("no cipher match"), or nullopt when it takes it.
std::optional<std::string> cipher_string_error(std::string_view cipher_string);
std::optional<std::string> ciphersuites_error(std::string_view ciphersuites);

}  // namespace tlsdoctor::tls
