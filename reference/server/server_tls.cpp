// Server context for the reference (every version, security level 0), ClientHello capture, negotiated facts.
#include "reference/server/server_tls.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>

#include "pki/certificate.h"
#include "pki/openssl_handles.h"
#include "pki/openssl_reason.h"
#include "tls/client_hello.h"

namespace tlsdoctor::reference {
namespace {

constexpr std::uint8_t kClientHelloType = 1;
constexpr unsigned char kHttp11[] = {8, 'h', 't', 't', 'p', '/', '1', '.', '1'};

void on_message(int write_p, int, int content_type, const void* buf, std::size_t len, SSL*, void* arg) {
  auto* capture = static_cast<ClientHelloCapture*>(arg);
  if (capture == nullptr || write_p != 0 || content_type != SSL3_RT_HANDSHAKE || len == 0) return;
  const auto* bytes = static_cast<const std::uint8_t*>(buf);
  if (bytes[0] != kClientHelloType || !capture->bytes.empty()) return;  // the first one only
  const std::size_t kept = std::min(len, tls::kMaxClientHelloBytes);
  capture->bytes.assign(bytes, bytes + kept);
  capture->truncated = kept < len;
}

// Picks http/1.1 when the client offers it; otherwise no ALPN (the client may still speak it).
int select_alpn(SSL*, const unsigned char** out, unsigned char* out_length, const unsigned char* in,
                unsigned int in_length, void*) {
  unsigned char* selected = nullptr;
  if (SSL_select_next_proto(&selected, out_length, kHttp11, sizeof kHttp11, in, in_length) != OPENSSL_NPN_NEGOTIATED) {
    return SSL_TLSEXT_ERR_NOACK;
  }
  *out = selected;
  return SSL_TLSEXT_ERR_OK;
}

// The next certificate in `bio`, made in `library` (null: the default library context).
pki::X509Ptr read_certificate(BIO* bio, OSSL_LIB_CTX* library) {
  X509* cert = X509_new_ex(library, nullptr);
  if (cert == nullptr) return nullptr;
  if (PEM_read_bio_X509(bio, &cert, nullptr, nullptr) == nullptr) {
    X509_free(cert);  // on failure OpenSSL leaves the object it was given alone
    return nullptr;
  }
  return pki::X509Ptr(cert);
}

}  // namespace

tl::expected<ServerTls, Error> make_server_tls(const ServerIdentity& identity, OwnLibrary own_library) {
  ERR_clear_error();
  ServerTls out;
  if (own_library == OwnLibrary::Yes) {
    out.library.reset(OSSL_LIB_CTX_new());
    if (!out.library) return tl::unexpected(Error{"TLS server", pki::take_openssl_reason("no library context")});
  }
  OSSL_LIB_CTX* library = out.library.get();
  out.context.reset(SSL_CTX_new_ex(library, nullptr, TLS_server_method()));
  SSL_CTX* ctx = out.context.get();
  if (ctx == nullptr) return tl::unexpected(Error{"TLS server", pki::take_openssl_reason("cannot create a context")});
  SSL_CTX_set_min_proto_version(ctx, TLS1_VERSION);
  SSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION);
  // Level 0 and every cipher, so that a client whose only offer is TLS 1.0 with SHA-1 still
  // completes a handshake and can be told what it sent.
  if (SSL_CTX_set_cipher_list(ctx, "ALL:@SECLEVEL=0") != 1) {
    return tl::unexpected(Error{"TLS server", pki::take_openssl_reason("cipher list refused")});
  }
  SSL_CTX_set_security_level(ctx, 0);
  SSL_CTX_set_msg_callback(ctx, on_message);
  SSL_CTX_set_alpn_select_cb(ctx, select_alpn, nullptr);
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);  // every echo sees a full handshake
  SSL_CTX_set_num_tickets(ctx, 0);
  // The chain served is the configured PEM, exactly: no chain building from the (empty)
  // certificate store on every handshake.
  SSL_CTX_set_mode(ctx, SSL_MODE_NO_AUTO_CHAIN);
  // Each connection's SSL reads its socket itself: reading ahead takes a whole flight (or
  // the Finished and the request) in one read instead of a header and a body per record.
  SSL_CTX_set_read_ahead(ctx, 1);

  pki::BioPtr chain_bio(BIO_new_mem_buf(identity.chain_pem.data(), static_cast<int>(identity.chain_pem.size())));
  pki::X509Ptr leaf = chain_bio ? read_certificate(chain_bio.get(), library) : nullptr;
  if (!leaf || SSL_CTX_use_certificate(ctx, leaf.get()) != 1) {
    return tl::unexpected(Error{"certificate", "no usable PEM certificate: " + pki::take_openssl_reason("unreadable")});
  }
  std::vector<pki::X509Ptr> chain;
  chain.push_back(std::move(leaf));
  while (pki::X509Ptr extra = read_certificate(chain_bio.get(), library)) {
    if (SSL_CTX_add1_chain_cert(ctx, extra.get()) != 1)
      return tl::unexpected(Error{"certificate chain", pki::take_openssl_reason("refused")});
    chain.push_back(std::move(extra));
  }
  ERR_clear_error();  // the loop ends on "no start line"
  pki::BioPtr key_bio(BIO_new_mem_buf(identity.key_pem.data(), static_cast<int>(identity.key_pem.size())));
  pki::EvpPkeyPtr key(key_bio ? PEM_read_bio_PrivateKey_ex(key_bio.get(), nullptr, nullptr, nullptr, library, nullptr) : nullptr);
  if (!key || SSL_CTX_use_PrivateKey(ctx, key.get()) != 1 || SSL_CTX_check_private_key(ctx) != 1) {
    return tl::unexpected(
        Error{"private key", "not the key of the certificate: " + pki::take_openssl_reason("unreadable")});
  }
  for (const auto& cert : chain) {
    unsigned char* der = nullptr;
    const int length = i2d_X509(cert.get(), &der);
    if (length <= 0) return tl::unexpected(Error{"certificate chain", "cannot encode"});
    out.chain_sha256.push_back(pki::sha256_hex(std::span(der, static_cast<std::size_t>(length))));
    OPENSSL_free(der);
  }
  unsigned char* spki = nullptr;
  const int spki_length = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(chain.front().get()), &spki);
  if (spki_length <= 0) return tl::unexpected(Error{"certificate", "cannot encode its public key"});
  out.spki_sha256 = pki::sha256_hex(std::span(spki, static_cast<std::size_t>(spki_length)));
  OPENSSL_free(spki);
  return out;
}

void attach_capture(SSL* ssl, ClientHelloCapture* capture) { SSL_set_msg_callback_arg(ssl, capture); }

TlsFacts tls_facts(SSL* ssl, const ServerTls& server, ClientHelloCapture& capture) {
  TlsFacts facts;
  facts.client_hello = std::move(capture.bytes);
  if (const char* name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name)) facts.sni = name;
  facts.version = SSL_get_version(ssl);
  if (const SSL_CIPHER* cipher = SSL_get_current_cipher(ssl)) {
    if (const char* name = SSL_CIPHER_standard_name(cipher)) facts.cipher = name;
  }
  if (const int group = static_cast<int>(SSL_get_negotiated_group(ssl)); group != 0) {
    if (const char* name = SSL_group_to_name(ssl, group)) facts.group = name;
  }
  const unsigned char* alpn = nullptr;
  unsigned int alpn_length = 0;
  SSL_get0_alpn_selected(ssl, &alpn, &alpn_length);
  if (alpn != nullptr) facts.alpn.assign(reinterpret_cast<const char*>(alpn), alpn_length);
  facts.chain_sha256 = server.chain_sha256;
  facts.spki_sha256 = server.spki_sha256;
  return facts;
}

}  // namespace tlsdoctor::reference
