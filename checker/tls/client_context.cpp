// Builds the OpenSSL client for a probe: system configuration first, then exactly what the spec changes.
#include "tls/client_context.h"

#include <optional>
#include <string>

#include <openssl/err.h>

#include "tls/openssl_errors.h"
#include "tls/probe.h"
#include "tls/tls_version.h"

namespace tlsdoctor::tls {
namespace {

// RFC 7301: a protocol name is 1-255 bytes; the whole list fits a 16-bit length.
constexpr std::size_t kMaxAlpnNameBytes = 255;
constexpr std::size_t kMaxAlpnListBytes = 65535;

tl::unexpected<std::string> refused(const std::string& what) {
  return tl::unexpected(what + ": " + first_reason(take_openssl_errors(), "refused by OpenSSL"));
}

tl::expected<void, std::string> apply_context_settings(SSL_CTX* ctx, const ClientHelloSpec& hello) {
  if (hello.min_version && SSL_CTX_set_min_proto_version(ctx, to_openssl(*hello.min_version)) != 1) {
    return refused("minimum version " + std::string(to_string(*hello.min_version)));
  }
  if (hello.max_version && SSL_CTX_set_max_proto_version(ctx, to_openssl(*hello.max_version)) != 1) {
    return refused("maximum version " + std::string(to_string(*hello.max_version)));
  }
  if (!hello.cipher_list.empty() && SSL_CTX_set_cipher_list(ctx, hello.cipher_list.c_str()) != 1) {
    return refused("cipher list \"" + hello.cipher_list + "\"");
  }
  if (!hello.ciphersuites.empty() && SSL_CTX_set_ciphersuites(ctx, hello.ciphersuites.c_str()) != 1) {
    return refused("TLS 1.3 cipher suites \"" + hello.ciphersuites + "\"");
  }
  if (!hello.groups.empty() && SSL_CTX_set1_groups_list(ctx, hello.groups.c_str()) != 1) {
    return refused("groups \"" + hello.groups + "\"");
  }
  // After the cipher list, whose "@SECLEVEL=n" would otherwise override an explicit level.
  if (hello.security_level) SSL_CTX_set_security_level(ctx, *hello.security_level);
  // Verification is an observation made afterwards (pki::verify_chain), never a reason for
  // the handshake to stop: an untrusted chain is still recorded.
  SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
  // A hostile server's 1 MB certificate ends as "excessive message size", not in our memory.
  SSL_CTX_set_max_cert_list(ctx, static_cast<long>(kMaxCertificateMessageBytes));
  return {};
}

// Per-SSL settings, shared by the real SSL and the one that measures the ClientHello's size.
bool configure_ssl(SSL* ssl, const ProbeSpec& spec, const std::string& alpn_wire) {
  if (const auto sni = effective_sni(spec); sni && SSL_set_tlsext_host_name(ssl, sni->c_str()) != 1) return false;
  // SSL_set_alpn_protos returns 0 on success, unlike its neighbours.
  if (!alpn_wire.empty() &&
      SSL_set_alpn_protos(ssl, reinterpret_cast<const unsigned char*>(alpn_wire.data()),
                          static_cast<unsigned int>(alpn_wire.size())) != 0) {
    return false;
  }
  if (spec.hello.request_ocsp && SSL_set_tlsext_status_type(ssl, TLSEXT_STATUSTYPE_ocsp) != 1) return false;
  return true;
}

// A new SSL_CTX with `hello`'s settings: TLS_client_method under the configuration this process
// loaded (system_default section of openssl.cnf or OPENSSL_CONF), as loopback.cpp does, so
// that a probe sees what local programs see except for the settings its spec changes.
tl::expected<SslCtxPtr, std::string> new_client_ctx(const ClientHelloSpec& hello) {
  SslCtxPtr ctx(SSL_CTX_new(TLS_client_method()));
  if (!ctx) return refused("creating a client under the system OpenSSL configuration");
  if (auto applied = apply_context_settings(ctx.get(), hello); !applied) return tl::unexpected(applied.error());
  return ctx;
}

// Everything apply_context_settings reads, as one string.
std::string settings_key(const ClientHelloSpec& hello) {
  const auto version = [](const std::optional<TlsVersion>& v) { return v ? std::string(to_string(*v)) : "-"; };
  return version(hello.min_version) + '\n' + version(hello.max_version) + '\n' + hello.cipher_list + '\n' +
         hello.ciphersuites + '\n' + hello.groups + '\n' +
         (hello.security_level ? std::to_string(*hello.security_level) : "-");
}

}  // namespace

tl::expected<std::string, std::string> alpn_wire_format(const std::vector<std::string>& protocols) {
  std::string wire;
  for (const auto& name : protocols) {
    if (name.empty() || name.size() > kMaxAlpnNameBytes) {
      return tl::unexpected("ALPN protocol \"" + name + "\" must be 1 to 255 bytes");
    }
    wire.push_back(static_cast<char>(name.size()));
    wire += name;
  }
  if (wire.size() > kMaxAlpnListBytes) return tl::unexpected(std::string("ALPN list too long"));
  return wire;
}

tl::expected<SslCtxPtr, std::string> ClientContextCache::get(const ClientHelloSpec& hello) {
  const std::string key = settings_key(hello);
  // Built under the lock: probes with the same settings wait for one build instead of each
  // making (and contending for) their own.
  const std::lock_guard lock(mutex_);
  for (const auto& [settings, ctx] : contexts_) {
    if (settings == key) {
      if (SSL_CTX_up_ref(ctx.get()) != 1) return refused("sharing the client context");
      return SslCtxPtr(ctx.get());
    }
  }
  auto built = new_client_ctx(hello);
  if (!built || contexts_.size() >= kMaxCachedClientContexts) return built;
  if (SSL_CTX_up_ref(built->get()) != 1) return refused("sharing the client context");
  contexts_.emplace_back(key, SslCtxPtr(built->get()));
  return built;
}

tl::expected<ClientContext, std::string> make_client_context(const ProbeSpec& spec, ClientContextCache* cache) {
  ERR_clear_error();
  ClientContext client;
  const bool shared = cache != nullptr && spec.hello.pad_to == 0;
  auto ctx = shared ? cache->get(spec.hello) : new_client_ctx(spec.hello);
  if (!ctx) return tl::unexpected(ctx.error());
  client.ctx = std::move(*ctx);
  const auto alpn = alpn_wire_format(spec.hello.alpn);
  if (!alpn) return tl::unexpected(alpn.error());
  if (spec.hello.pad_to > 0) {
    auto padding = add_hello_padding(client.ctx.get());
    if (!padding) return tl::unexpected(padding.error());
    client.padding = std::move(*padding);
  }
  auto configure = [&](SSL* ssl) { return configure_ssl(ssl, spec, *alpn); };
  if (client.padding) size_hello_padding(client.ctx.get(), *client.padding, spec.hello.pad_to, configure);
  client.ssl.reset(SSL_new(client.ctx.get()));
  if (!client.ssl) return refused("creating the client");
  if (!configure(client.ssl.get())) return refused("setting SNI, ALPN or the OCSP request");
  SSL_set_connect_state(client.ssl.get());
  return client;
}

}  // namespace tlsdoctor::tls
