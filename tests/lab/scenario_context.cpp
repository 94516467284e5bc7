// Builds each scenario behaviour's SSL_CTX: pinned versions, weak parameters, exact chains, SNI and client-certificate rules.
#include "lab/scenario_context.h"

#include <algorithm>
#include <cctype>

#include <openssl/err.h>
#include <openssl/ssl.h>

namespace tlsdoctor::lab {
namespace {

using tls::SslCtxPtr;

// Security level 0 on the server: the scenario's one flaw (an old version, a small key, a weak
// group) must be what a client meets, never a refusal by the lab's own OpenSSL. OpenSSL 3 also
// refuses TLS 1.0 and 1.1 at level 1 and above, because they sign with SHA-1.
constexpr const char* kAnyCipher = "DEFAULT:@SECLEVEL=0";
// Only finite-field DHE with RSA authentication, so the 1024-bit group is used or nothing is.
constexpr const char* kDheRsaOnly =
    "DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:DHE-RSA-CHACHA20-POLY1305:"
    "DHE-RSA-AES128-SHA256:DHE-RSA-AES256-SHA256:DHE-RSA-AES128-SHA:DHE-RSA-AES256-SHA:@SECLEVEL=0";

LabError failure(const std::string& step) {
  std::string reason;
  if (const unsigned long code = ERR_peek_error(); code != 0) {
    const char* text = ERR_reason_error_string(code);
    reason = text != nullptr ? text : "unknown error";
  }
  ERR_clear_error();
  return "scenario context: " + step + (reason.empty() ? "" : ": " + reason);
}

std::pair<int, int> version_range(Behaviour behaviour) {
  switch (behaviour) {
    case Behaviour::Tls10Only: return {TLS1_VERSION, TLS1_VERSION};
    case Behaviour::Tls11Only: return {TLS1_1_VERSION, TLS1_1_VERSION};
    case Behaviour::Tls12Only:
    case Behaviour::WeakDh: return {TLS1_2_VERSION, TLS1_2_VERSION};
    case Behaviour::Tls13Only: return {TLS1_3_VERSION, TLS1_3_VERSION};
    // What a well-run server offers today; a probe pinned to 1.0 or 1.1 is refused as by one.
    default: return {TLS1_2_VERSION, TLS1_3_VERSION};
  }
}

bool same_name(const std::string& a, const char* b) {
  const std::string other(b);
  return std::equal(a.begin(), a.end(), other.begin(), other.end(),
                    [](char x, char y) { return std::tolower(static_cast<unsigned char>(x)) ==
                                                std::tolower(static_cast<unsigned char>(y)); });
}

// OpenSSL 1.1.1 and later call this for every ClientHello, with or without server_name.
int on_server_name(SSL* ssl, int* alert, void* arg) {
  const auto* contexts = static_cast<const ScenarioContexts*>(arg);
  const char* name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
  if (contexts->behaviour == Behaviour::SniRequired) {
    if (name == nullptr || !same_name(contexts->host_name, name)) {
      *alert = SSL_AD_UNRECOGNIZED_NAME;
      return SSL_TLSEXT_ERR_ALERT_FATAL;
    }
    return SSL_TLSEXT_ERR_OK;
  }
  if (name != nullptr) {
    for (const auto& [known, ctx] : contexts->by_name) {
      if (same_name(known, name)) {
        SSL_set_SSL_CTX(ssl, ctx.get());
        break;
      }
    }
  }
  return SSL_TLSEXT_ERR_OK;  // an unknown name or none: the default certificate
}

tl::expected<void, LabError> use_identity(SSL_CTX* ctx, const ServedIdentity& identity) {
  if (SSL_CTX_use_certificate(ctx, identity.certificate.cert.get()) != 1 ||
      SSL_CTX_use_PrivateKey(ctx, identity.certificate.key.get()) != 1) {
    return tl::unexpected(failure("certificate and key"));
  }
  // The chain is sent exactly as listed: no building from a store, no reordering.
  SSL_CTX_set_mode(ctx, SSL_MODE_NO_AUTO_CHAIN);
  if (SSL_CTX_clear_chain_certs(ctx) != 1) return tl::unexpected(failure("clearing the chain"));
  for (const auto& next : identity.chain) {
    if (SSL_CTX_add1_chain_cert(ctx, next.cert.get()) != 1) return tl::unexpected(failure("chain certificate"));
  }
  return {};
}

tl::expected<void, LabError> require_client_certificate(SSL_CTX* ctx) {
  auto pki = lab_pki_or_error();
  if (!pki) return tl::unexpected(pki.error());
  X509_STORE* store = SSL_CTX_get_cert_store(ctx);
  // Both, so a client that sends only its leaf is verified as well as one that sends its chain.
  if (X509_STORE_add_cert(store, (*pki)->root.cert.get()) != 1 ||
      X509_STORE_add_cert(store, (*pki)->intermediate.cert.get()) != 1 ||
      SSL_CTX_add_client_CA(ctx, (*pki)->root.cert.get()) != 1) {
    return tl::unexpected(failure("client CA"));
  }
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
  return {};
}

tl::expected<SslCtxPtr, LabError> make_context(const ScenarioOptions& options, const ServedIdentity& identity,
                                               ScenarioContexts* callback_arg) {
  SslCtxPtr ctx(SSL_CTX_new(TLS_server_method()));
  if (!ctx) return tl::unexpected(failure("SSL_CTX_new"));
  const auto [min_version, max_version] = version_range(options.behaviour);
  if (SSL_CTX_set_min_proto_version(ctx.get(), min_version) != 1 ||
      SSL_CTX_set_max_proto_version(ctx.get(), max_version) != 1) {
    return tl::unexpected(failure("pinning versions"));
  }
  const bool weak_dh = options.behaviour == Behaviour::WeakDh;
  if (SSL_CTX_set_cipher_list(ctx.get(), weak_dh ? kDheRsaOnly : kAnyCipher) != 1) {
    return tl::unexpected(failure("cipher list"));
  }
  if (weak_dh) {
    auto group = weak_dh_parameters();
    if (!group) return tl::unexpected(group.error());
    SSL_CTX_set_dh_auto(ctx.get(), 0);
    if (SSL_CTX_set0_tmp_dh_pkey(ctx.get(), group->get()) != 1) return tl::unexpected(failure("DH group"));
    static_cast<void>(group->release());  // owned by the context now
  }
  if (auto used = use_identity(ctx.get(), identity); !used) return tl::unexpected(used.error());
  if (options.behaviour == Behaviour::ClientCertRequired) {
    if (auto required = require_client_certificate(ctx.get()); !required) return tl::unexpected(required.error());
  }
  // Nothing to resume, and nothing written after the handshake (TLS 1.3 tickets).
  SSL_CTX_set_num_tickets(ctx.get(), 0);
  SSL_CTX_set_session_cache_mode(ctx.get(), SSL_SESS_CACHE_OFF);
  SSL_CTX_set_options(ctx.get(), SSL_OP_NO_TICKET);
  if (callback_arg != nullptr) {
    SSL_CTX_set_tlsext_servername_callback(ctx.get(), on_server_name);
    SSL_CTX_set_tlsext_servername_arg(ctx.get(), callback_arg);
  }
  return ctx;
}

bool runs_tls(Behaviour behaviour) {
  switch (behaviour) {
    case Behaviour::NeverAnswers:
    case Behaviour::Garbage:
    case Behaviour::ResetAfterHello:
    case Behaviour::FatalAlert: return false;
    default: return true;
  }
}

}  // namespace

tl::expected<std::unique_ptr<ScenarioContexts>, LabError> make_scenario_contexts(const ScenarioOptions& options) {
  auto contexts = std::make_unique<ScenarioContexts>();
  contexts->behaviour = options.behaviour;
  contexts->host_name = options.host_name;
  if (!runs_tls(options.behaviour)) return contexts;
  auto identity = default_identity(options);
  if (!identity) return tl::unexpected(identity.error());
  contexts->default_identity = std::move(*identity);
  const bool by_sni = options.behaviour == Behaviour::SniRequired || options.behaviour == Behaviour::CertPerSni;
  auto ctx = make_context(options, contexts->default_identity, by_sni ? contexts.get() : nullptr);
  if (!ctx) return tl::unexpected(ctx.error());
  contexts->default_ctx = std::move(*ctx);
  if (options.behaviour != Behaviour::CertPerSni) return contexts;
  for (const auto& name : options.sni_names) {
    auto named = identity_for_name(name);
    if (!named) return tl::unexpected(named.error());
    auto named_ctx = make_context(options, *named, nullptr);
    if (!named_ctx) return tl::unexpected(named_ctx.error());
    contexts->by_name.emplace_back(name, std::move(*named_ctx));
  }
  return contexts;
}

}  // namespace tlsdoctor::lab
