// Verifies a peer chain with X509_verify_cert against chosen anchors, time and name, listing every error.
#include "pki/chain_verify.h"

#include <arpa/inet.h>

#include <cstddef>
#include <cstdlib>
#include <ctime>
#include <deque>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <mutex>
#include <optional>
#include <string_view>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include "pki/certificate.h"
#include "pki/default_store.h"
#include "pki/openssl_handles.h"
#include "pki/openssl_reason.h"

namespace tlsdoctor::pki {
namespace {

// The collector behind the verify callback, reached through the store context's app data.
struct ErrorCollector {
  std::vector<ChainError> errors;
  bool any_error = false;  // also true when errors were dropped past the cap
};

bool is_ca(X509* cert) {
  // Only basicConstraints CA:TRUE counts: X509_check_ca also says yes to v1 self-signed and
  // Netscape cert-type certificates, which is not what "at a CA" means to chain_failure.
  return cert != nullptr && (X509_get_extension_flags(cert) & EXFLAG_CA) != 0;
}

// Keeps every complaint and answers "carry on", so that one run lists all problems of the chain
// (an expired leaf that is also untrusted and for the wrong name) instead of only the first.
int record_and_continue(int ok, X509_STORE_CTX* ctx) {
  if (ok == 1) return 1;
  auto* collector = static_cast<ErrorCollector*>(X509_STORE_CTX_get_app_data(ctx));
  if (collector == nullptr) return ok;  // not ours: keep OpenSSL's verdict
  collector->any_error = true;
  if (collector->errors.size() < kMaxChainErrors) {
    const int code = X509_STORE_CTX_get_error(ctx);
    ChainError error;
    error.code = code;
    error.depth = X509_STORE_CTX_get_error_depth(ctx);
    error.message = X509_verify_cert_error_string(code);
    error.at_ca = is_ca(X509_STORE_CTX_get_current_cert(ctx));
    collector->errors.push_back(std::move(error));
  }
  return 1;
}


tl::unexpected<Error> fail(std::string input, std::string message) {
  return tl::unexpected(Error{std::move(input), std::move(message)});
}

std::string environment_value(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : "";
}

// Stores are built once and shared by every verification that uses the same anchors (an
// X509_STORE is safe to share between threads once filled: each SSL_CTX shares one the same
// way). Building one decodes every anchor in it: the distribution bundle takes ~60 ms in a debug
// build, and a batch of concurrent probes all use the same anchors. At most this many are kept,
// the oldest dropped first.
constexpr std::size_t kMaxCachedStores = 8;

struct CachedStore {
  std::string key;
  X509StorePtr store;
};

// An anchor file bigger than this is loaded afresh each time rather than hashed for the cache
// (the distribution bundle is about 200 KB).
constexpr std::uintmax_t kMaxCachedAnchorFileBytes = 16 * 1024 * 1024;

// The SHA-256 of a file's bytes (raw), or nothing when it cannot be read or is too big.
std::optional<std::string> file_sha256(const std::string& path) {
  std::error_code error;
  const auto size = std::filesystem::file_size(path, error);
  if (error || size > kMaxCachedAnchorFileBytes) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  const std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return std::nullopt;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(content.data(), content.size(), digest, &length, EVP_sha256(), nullptr) != 1) return std::nullopt;
  return std::string(reinterpret_cast<const char*>(digest), length);
}

// What identifies the anchors: the environment OpenSSL reads for its defaults, a file's path
// with its content's digest, or the DER itself. Empty when the file cannot be read: it is then
// loaded afresh, so that OpenSSL's own error is reported.
std::string store_key(const AnchorSource& anchors) {
  switch (anchors.kind) {
    case AnchorSource::Kind::SystemDefault:
      return "system\n" + environment_value(X509_get_default_cert_file_env()) + '\n' +
             environment_value(X509_get_default_cert_dir_env());
    case AnchorSource::Kind::File: {
      // By content: a file rewritten within the file system's timestamp granularity, at the
      // same size, is still seen as new.
      const auto digest = file_sha256(anchors.file);
      return digest ? "file\n" + anchors.file + '\n' + *digest : "";
    }
    case AnchorSource::Kind::Der: {
      std::string key = "der";
      for (const auto& der : anchors.der) {
        key += '\n' + std::to_string(der.size()) + ':';
        key.append(der.begin(), der.end());
      }
      return key;
    }
  }
  return "";
}

tl::expected<X509StorePtr, Error> build_store(const AnchorSource& anchors) {
  X509StorePtr store(X509_STORE_new());
  if (!store) return fail("trust store", take_openssl_reason("out of memory"));
  switch (anchors.kind) {
    case AnchorSource::Kind::SystemDefault:
      // The same file and directory (or SSL_CERT_FILE / SSL_CERT_DIR) every OpenSSL client uses.
      if (!load_default_paths(store.get())) {
        return fail("system trust store", take_openssl_reason("cannot use OpenSSL's default paths"));
      }
      ERR_clear_error();  // set_default_paths leaves complaints about missing files behind
      break;
    case AnchorSource::Kind::File:
      // OpenSSL fails the whole file when it cannot be opened, holds no certificate, or one PEM
      // block in it is damaged; each is an error the caller must show rather than "untrusted".
      if (X509_STORE_load_file(store.get(), anchors.file.c_str()) != 1) {
        return fail(anchors.file, take_openssl_reason("cannot load certificates"));
      }
      break;
    case AnchorSource::Kind::Der:
      for (std::size_t i = 0; i < anchors.der.size(); ++i) {
        auto cert = parse_x509(anchors.der[i]);
        if (!cert) return fail("anchor " + std::to_string(i), cert.error().message);
        if (X509_STORE_add_cert(store.get(), cert->get()) != 1) {
          return fail("anchor " + std::to_string(i), take_openssl_reason("cannot add to the store"));
        }
      }
      break;
  }
  return store;
}

tl::expected<X509StorePtr, Error> shared_store(X509_STORE* store) {
  if (X509_STORE_up_ref(store) != 1) return fail("trust store", take_openssl_reason("cannot share the store"));
  return X509StorePtr(store);
}

tl::expected<X509StorePtr, Error> make_store(const AnchorSource& anchors) {
  static std::mutex mutex;
  static std::deque<CachedStore> cache;
  const std::string key = store_key(anchors);
  if (key.empty()) return build_store(anchors);
  // Built under the lock: concurrent probes with the same anchors wait for one build rather
  // than each making its own.
  const std::lock_guard lock(mutex);
  for (const auto& entry : cache) {
    if (entry.key == key) return shared_store(entry.store.get());
  }
  auto built = build_store(anchors);
  if (!built) return built;  // failures are not kept: the next attempt reports afresh
  if (cache.size() == kMaxCachedStores) cache.pop_front();
  cache.push_back(CachedStore{key, std::move(*built)});
  return shared_store(cache.back().store.get());
}

// An IP literal is checked against iPAddress SANs, anything else against DNS names. A literal
// in brackets ("[::1]", as in URLs) counts as the address inside; a fully qualified name's final
// dot ("example.com.") is dropped, as browsers and curl do, since certificates never carry it.
std::string_view name_to_check(std::string_view host) {
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') return host.substr(1, host.size() - 2);
  if (host.size() > 1 && host.back() == '.') return host.substr(0, host.size() - 1);
  return host;
}

bool is_ip_literal(const std::string& text) {
  unsigned char buffer[sizeof(in6_addr)] = {};
  return inet_pton(AF_INET, text.c_str(), buffer) == 1 || inet_pton(AF_INET6, text.c_str(), buffer) == 1;
}

tl::expected<void, Error> set_parameters(X509_STORE_CTX* ctx, const VerifySettings& request) {
  // What a TLS client checks: serverAuth purpose and the SSL server trust setting of anchors.
  if (X509_STORE_CTX_set_purpose(ctx, X509_PURPOSE_SSL_SERVER) != 1 ||
      X509_STORE_CTX_set_trust(ctx, X509_TRUST_SSL_SERVER) != 1) {
    return fail("verification", take_openssl_reason("cannot set the serverAuth purpose"));
  }
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx);
  X509_VERIFY_PARAM_set_time(param, std::chrono::system_clock::to_time_t(request.at));
  X509_VERIFY_PARAM_set_auth_level(param, request.security_level);
  if (request.partial_chain) X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_PARTIAL_CHAIN);
  if (!request.host.empty()) {
    const std::string name(name_to_check(request.host));
    const int set = is_ip_literal(name) ? X509_VERIFY_PARAM_set1_ip_asc(param, name.c_str())
                                        : X509_VERIFY_PARAM_set1_host(param, name.data(), name.size());
    if (set != 1) return fail(request.host, take_openssl_reason("not a name a certificate can be checked for"));
  }
  return {};
}

}  // namespace

tl::expected<ChainVerification, Error> verify_chain(const VerifyRequest& request) {
  if (request.chain.empty()) return fail("chain", "no certificate to verify");
  std::vector<X509Ptr> parsed;
  parsed.reserve(request.chain.size());
  for (std::size_t i = 0; i < request.chain.size(); ++i) {
    auto cert = parse_x509(request.chain[i]);
    if (!cert) return fail("certificate " + std::to_string(i), cert.error().message);
    parsed.push_back(std::move(*cert));
  }
  std::vector<X509*> chain;
  chain.reserve(parsed.size());
  for (const auto& cert : parsed) chain.push_back(cert.get());
  return verify_chain(chain, request);
}

tl::expected<ChainVerification, Error> verify_chain(std::span<X509* const> chain, const VerifySettings& request) {
  if (chain.empty() || chain.front() == nullptr) return fail("chain", "no certificate to verify");
  X509StackPtr untrusted(sk_X509_new_null());
  if (!untrusted) return fail("chain", take_openssl_reason("out of memory"));
  for (std::size_t i = 1; i < chain.size(); ++i) {
    // The stack takes a reference of its own, released with it; the caller keeps theirs.
    if (chain[i] == nullptr || X509_up_ref(chain[i]) != 1) {
      return fail("certificate " + std::to_string(i), "no certificate at this position");
    }
    if (sk_X509_push(untrusted.get(), chain[i]) <= 0) {
      X509_free(chain[i]);
      return fail("chain", take_openssl_reason("out of memory"));
    }
  }

  auto store = make_store(request.anchors);
  if (!store) return tl::unexpected(store.error());

  ErrorCollector collector;  // declared before the context that points at it
  X509StoreCtxPtr ctx(X509_STORE_CTX_new());
  if (!ctx || X509_STORE_CTX_init(ctx.get(), store->get(), chain.front(), untrusted.get()) != 1) {
    return fail("verification", take_openssl_reason("cannot start verification"));
  }
  if (auto set = set_parameters(ctx.get(), request); !set) return tl::unexpected(set.error());

  X509_STORE_CTX_set_app_data(ctx.get(), &collector);
  X509_STORE_CTX_set_verify_cb(ctx.get(), record_and_continue);
  const int verified = X509_verify_cert(ctx.get());

  ChainVerification out;
  if (verified < 0) {
    // An internal failure (memory, a malformed structure) rather than a verdict on the chain.
    return fail("verification", take_openssl_reason("X509_verify_cert failed"));
  }
  out.ok = verified == 1 && !collector.any_error;
  out.errors = std::move(collector.errors);
  if (verified == 0 && out.errors.empty()) {
    // The callback was bypassed (OpenSSL stops some checks before calling it): keep its reason.
    const int code = X509_STORE_CTX_get_error(ctx.get());
    out.errors.push_back(ChainError{code, X509_STORE_CTX_get_error_depth(ctx.get()),
                                    X509_verify_cert_error_string(code), false});
  }
  if (const STACK_OF(X509)* built = X509_STORE_CTX_get0_chain(ctx.get())) {
    out.built_length = static_cast<std::size_t>(sk_X509_num(built));
    for (int i = 0; i < sk_X509_num(built); ++i) {
      out.built_spki_sha256.push_back(spki_fingerprint(sk_X509_value(built, i)));
    }
  }
  ERR_clear_error();
  return out;
}

}  // namespace tlsdoctor::pki
