// Reads the negotiated parameters, the peer chain and the ClientHello of one handshake into the record.
#include "tls/probe_observations.h"

#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>

#include "tls/client_hello.h"
#include "tls/fingerprint.h"
#include "tls/probe.h"
#include "tls/tls_names.h"

namespace tlsdoctor::tls {
namespace {

// IANA SignatureScheme code points (RFC 8446 section 4.2.3, RFC 5246 for SHA-1 and SHA-224).
struct SchemeCode {
  int signature_nid;
  int hash_nid;
  std::uint16_t code;
};
constexpr SchemeCode kSchemes[] = {
    {NID_rsaEncryption, NID_sha1, 0x0201},        {NID_rsaEncryption, NID_sha224, 0x0301},
    {NID_rsaEncryption, NID_sha256, 0x0401},      {NID_rsaEncryption, NID_sha384, 0x0501},
    {NID_rsaEncryption, NID_sha512, 0x0601},      {NID_X9_62_id_ecPublicKey, NID_sha1, 0x0203},
    {NID_X9_62_id_ecPublicKey, NID_sha224, 0x0303}, {NID_X9_62_id_ecPublicKey, NID_sha256, 0x0403},
    {NID_X9_62_id_ecPublicKey, NID_sha384, 0x0503}, {NID_X9_62_id_ecPublicKey, NID_sha512, 0x0603},
    {NID_ED25519, NID_undef, 0x0807},             {NID_ED448, NID_undef, 0x0808},
};
// RSASSA-PSS: rsae when the certificate key is plain RSA, pss when the key itself is PSS-only.
constexpr SchemeCode kPssSchemes[] = {
    {NID_rsaEncryption, NID_sha256, 0x0804}, {NID_rsaEncryption, NID_sha384, 0x0805},
    {NID_rsaEncryption, NID_sha512, 0x0806}, {NID_rsassaPss, NID_sha256, 0x0809},
    {NID_rsassaPss, NID_sha384, 0x080a},     {NID_rsassaPss, NID_sha512, 0x080b},
};

std::optional<TlsVersion> version_of(const ServerHello& hello) {
  return from_openssl(hello.selected_version.value_or(hello.legacy_version));
}

// A name for the key exchange when OpenSSL has no group for it: TLS 1.2 finite-field DHE
// with the server's own prime (what "weak DH" is about), named by its size.
std::string temporary_key_name(SSL* ssl) {
  EVP_PKEY* key = nullptr;
  if (SSL_get_peer_tmp_key(ssl, &key) != 1 || key == nullptr) return "";
  const int id = EVP_PKEY_get_base_id(key);
  std::string name;
  if (id == EVP_PKEY_DH || id == EVP_PKEY_DHX) name = "dh" + std::to_string(EVP_PKEY_get_bits(key));
  EVP_PKEY_free(key);
  return name;
}

}  // namespace

void record_client_hello(Handshake& handshake, const HandshakeObserver& observer) {
  handshake.client_hellos_sent = observer.client_hellos_sent();
  if (observer.client_hellos().empty()) return;
  handshake.client_hello_raw = observer.client_hellos().front();
  auto parsed = parse_client_hello(handshake.client_hello_raw);
  if (!parsed) return;
  handshake.ja3 = ja3_string(*parsed);
  handshake.ja3_hash = ja3_hash(*parsed);
  handshake.ja4 = ja4(*parsed);
  handshake.client_hello = std::move(*parsed);
}

std::optional<ServerHelloObservation> observe_server_hello(const HandshakeObserver& observer, SSL* ssl,
                                                           bool completed) {
  const auto& messages = observer.server_hellos();
  if (messages.empty() && !completed) return std::nullopt;
  ServerHelloObservation out;
  if (!messages.empty()) {
    if (auto first = parse_server_hello(messages.front()); first) out.hello_retry_request = first->hello_retry_request;
    if (auto last = parse_server_hello(messages.back()); last) {
      if (auto version = version_of(*last)) out.version = *version;
      out.cipher_id = last->cipher_suite;
      out.cipher = cipher_suite_name(last->cipher_suite);
      if (last->key_share_group) out.group = group_name(*last->key_share_group);
      if (last->alpn) out.alpn = *last->alpn;
      for (const auto& extension : last->extensions) out.extensions.push_back(extension.type);
    }
  }
  if (!completed) return out;

  // After a completed handshake OpenSSL's view is authoritative (and covers TLS 1.2, whose
  // ServerHello names no group).
  if (auto version = from_openssl(SSL_version(ssl))) out.version = *version;
  if (const SSL_CIPHER* cipher = SSL_get_current_cipher(ssl)) {
    out.cipher_id = SSL_CIPHER_get_protocol_id(cipher);
    out.cipher = cipher_suite_name(out.cipher_id);
  }
  if (const int group = static_cast<int>(SSL_get_negotiated_group(ssl)); group != 0) {
    if (const char* name = SSL_group_to_name(ssl, group)) out.group = name;
  }
  if (out.group.empty()) out.group = temporary_key_name(ssl);
  const unsigned char* alpn = nullptr;
  unsigned int alpn_length = 0;
  SSL_get0_alpn_selected(ssl, &alpn, &alpn_length);
  if (alpn != nullptr && alpn_length > 0) out.alpn.assign(reinterpret_cast<const char*>(alpn), alpn_length);
  out.peer_signature = peer_signature_scheme(ssl);
  return out;
}

void record_peer_chain(Handshake& handshake, SSL* ssl) {
  handshake.peer_chain.clear();
  handshake.peer_chain_truncated = false;
  // On the client side this is the chain as sent, leaf first, in the server's order.
  STACK_OF(X509)* chain = SSL_get_peer_cert_chain(ssl);
  if (chain == nullptr) return;
  const int count = sk_X509_num(chain);
  for (int i = 0; i < count; ++i) {
    if (handshake.peer_chain.size() >= kMaxPeerChainLength) {
      handshake.peer_chain_truncated = true;
      break;
    }
    X509* cert = sk_X509_value(chain, i);
    unsigned char* der = nullptr;
    const int length = i2d_X509(cert, &der);
    if (length <= 0 || der == nullptr) continue;
    handshake.peer_chain.emplace_back(der, der + length);
    OPENSSL_free(der);
  }
}

std::string peer_signature_scheme(SSL* ssl) {
  int signature = NID_undef;
  if (SSL_get_peer_signature_type_nid(ssl, &signature) != 1) return "";
  int hash = NID_undef;
  if (SSL_get_peer_signature_nid(ssl, &hash) != 1) hash = NID_undef;
  if (signature == NID_ED25519 || signature == NID_ED448) hash = NID_undef;
  if (signature == NID_rsassaPss) {
    X509* leaf = SSL_get0_peer_certificate(ssl);
    const EVP_PKEY* key = leaf != nullptr ? X509_get0_pubkey(leaf) : nullptr;
    const int key_nid = key != nullptr && EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA_PSS ? NID_rsassaPss
                                                                                        : NID_rsaEncryption;
    for (const auto& scheme : kPssSchemes) {
      if (scheme.signature_nid == key_nid && scheme.hash_nid == hash) return signature_scheme_name(scheme.code);
    }
  }
  for (const auto& scheme : kSchemes) {
    if (scheme.signature_nid == signature && scheme.hash_nid == hash) return signature_scheme_name(scheme.code);
  }
  // TLS 1.0 and 1.1 sign with MD5+SHA-1 (RSA), which has no SignatureScheme code point.
  const char* signature_name = OBJ_nid2sn(signature);
  const char* hash_name = hash != NID_undef ? OBJ_nid2sn(hash) : nullptr;
  std::string text = signature_name != nullptr ? signature_name : "unknown";
  if (hash_name != nullptr) text += std::string("+") + hash_name;
  return text;
}

bool ocsp_stapled(SSL* ssl) {
  const unsigned char* response = nullptr;
  return SSL_get_tlsext_status_ocsp_resp(ssl, &response) > 0 && response != nullptr;
}

}  // namespace tlsdoctor::tls
