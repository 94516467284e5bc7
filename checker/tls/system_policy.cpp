// Reads back the TLS policy OpenSSL applies to a fresh client context in this process.
#include "tls/system_policy.h"

#include <memory>

#include <openssl/conf.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/obj_mac.h>
#include <openssl/x509.h>

#include "tls/openssl_errors.h"
#include "tls/openssl_handles.h"

namespace tlsdoctor::tls {
namespace {

using ConfPtr = std::unique_ptr<CONF, OpenSslDeleter<CONF, NCONF_free>>;

struct CipherStackFree {
  void operator()(STACK_OF(SSL_CIPHER) * stack) const noexcept { sk_SSL_CIPHER_free(stack); }
};
using CipherStackPtr = std::unique_ptr<STACK_OF(SSL_CIPHER), CipherStackFree>;

std::vector<std::string> error_texts() {
  std::vector<std::string> texts;
  for (auto& e : take_openssl_errors()) texts.push_back(std::move(e.text));
  return texts;
}

bool is_modern_tls12(const SSL_CIPHER* cipher) {
  const int cipher_nid = SSL_CIPHER_get_cipher_nid(cipher);
  return SSL_CIPHER_get_kx_nid(cipher) == NID_kx_ecdhe &&
         (cipher_nid == NID_aes_128_gcm || cipher_nid == NID_aes_256_gcm || cipher_nid == NID_chacha20_poly1305);
}

// The suites OpenSSL would offer if the connection were pinned to `version`: it filters by
// the cipher string, each suite's protocol range and the security level.
std::vector<const SSL_CIPHER*> supported_ciphers(SSL_CTX* ctx, int version) {
  std::vector<const SSL_CIPHER*> ciphers;
  SslPtr ssl(SSL_new(ctx));
  if (!ssl || SSL_set_min_proto_version(ssl.get(), version) != 1 ||
      SSL_set_max_proto_version(ssl.get(), version) != 1) {
    ERR_clear_error();
    return ciphers;
  }
  CipherStackPtr stack(SSL_get1_supported_ciphers(ssl.get()));
  ERR_clear_error();
  if (!stack) return ciphers;
  for (int i = 0; i < sk_SSL_CIPHER_num(stack.get()); ++i) ciphers.push_back(sk_SSL_CIPHER_value(stack.get(), i));
  return ciphers;
}

}  // namespace

std::string openssl_default_config_file() {
  // OpenSSL_version(OPENSSL_DIR) reads `OPENSSLDIR: "/usr/lib/ssl"`.
  std::string_view dir_line = OpenSSL_version(OPENSSL_DIR);
  const auto open = dir_line.find('"');
  const auto close = dir_line.rfind('"');
  std::string dir = open != std::string_view::npos && close > open
                        ? std::string(dir_line.substr(open + 1, close - open - 1))
                        : std::string(X509_get_default_cert_area());
  return dir + "/openssl.cnf";
}

std::string openssl_loaded_config_file() {
  pki::OpenSslStringPtr file(CONF_get1_default_config_file());
  return file ? std::string(file.get()) : openssl_default_config_file();
}

std::string openssl_version_text() { return OpenSSL_version(OPENSSL_VERSION); }

EffectiveClientPolicy effective_client_policy() {
  EffectiveClientPolicy policy;
  policy.openssl_version = openssl_version_text();
  policy.config_file = openssl_loaded_config_file();
  ERR_clear_error();

  // OpenSSL quietly ignores a configuration it cannot parse; parse it again to say so.
  ConfPtr conf(NCONF_new(nullptr));
  long error_line = 0;
  if (conf && NCONF_load(conf.get(), policy.config_file.c_str(), &error_line) > 0) {
    policy.config_found = true;
  } else {
    const auto errors = take_openssl_errors();
    const bool missing = !errors.empty() && ERR_GET_LIB(errors.front().code) == ERR_LIB_CONF &&
                         ERR_GET_REASON(errors.front().code) == CONF_R_NO_SUCH_FILE;
    policy.config_found = !missing;
    if (!missing) {
      policy.config_error = first_reason(errors, "cannot be parsed") +
                            (error_line > 0 ? " at line " + std::to_string(error_line) : std::string());
    }
  }

  OPENSSL_init_ssl(OPENSSL_INIT_LOAD_CONFIG, nullptr);
  ERR_clear_error();  // only the first call in a process reports anything; judged above instead
  SslCtxPtr ctx(SSL_CTX_new(TLS_client_method()));
  policy.context_errors = error_texts();
  policy.context_created = ctx != nullptr;
  if (!ctx) return policy;

  policy.min_version = from_openssl(static_cast<int>(SSL_CTX_get_min_proto_version(ctx.get())));
  policy.max_version = from_openssl(static_cast<int>(SSL_CTX_get_max_proto_version(ctx.get())));
  policy.security_level = SSL_CTX_get_security_level(ctx.get());
  for (const SSL_CIPHER* cipher : supported_ciphers(ctx.get(), TLS1_2_VERSION)) {
    policy.tls12_ciphers.emplace_back(SSL_CIPHER_get_name(cipher));
    if (is_modern_tls12(cipher)) ++policy.tls12_modern_ciphers;
  }
  for (const SSL_CIPHER* cipher : supported_ciphers(ctx.get(), TLS1_3_VERSION)) {
    policy.tls13_ciphersuites.emplace_back(SSL_CIPHER_get_name(cipher));
  }
  return policy;
}

std::optional<std::string> cipher_string_error(std::string_view cipher_string) {
  ERR_clear_error();
  SslCtxPtr ctx(SSL_CTX_new(TLS_client_method()));
  if (!ctx) return first_reason(take_openssl_errors(), "cannot create an OpenSSL context");
  const std::string text(cipher_string);
  if (SSL_CTX_set_cipher_list(ctx.get(), text.c_str()) == 1) {
    ERR_clear_error();
    return std::nullopt;
  }
  return first_reason(take_openssl_errors(), "rejected");
}

std::optional<std::string> ciphersuites_error(std::string_view ciphersuites) {
  ERR_clear_error();
  SslCtxPtr ctx(SSL_CTX_new(TLS_client_method()));
  if (!ctx) return first_reason(take_openssl_errors(), "cannot create an OpenSSL context");
  const std::string text(ciphersuites);
  if (SSL_CTX_set_ciphersuites(ctx.get(), text.c_str()) == 1) {
    ERR_clear_error();
    return std::nullopt;
  }
  return first_reason(take_openssl_errors(), "rejected");
}

}  // namespace tlsdoctor::tls
