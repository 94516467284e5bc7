// Ed25519 keys, signatures and their verification with OpenSSL's EVP interface.
#include "reference/protocol/signing.h"

#include <algorithm>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "core/base64.h"
#include "core/hex.h"
#include "pki/openssl_reason.h"

namespace tlsdoctor::reference {
namespace {

using pki::EvpMdCtxPtr;
using pki::EvpPkeyCtxPtr;

tl::expected<PublicKey, Error> public_of(EVP_PKEY* key, std::string_view source) {
  PublicKey out;
  std::size_t length = out.raw.size();
  if (EVP_PKEY_get_raw_public_key(key, out.raw.data(), &length) != 1 || length != out.raw.size()) {
    return tl::unexpected(Error{std::string(source), pki::take_openssl_reason("not an Ed25519 key")});
  }
  out.id = key_id(out.raw);
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string key_id(std::span<const std::uint8_t, kPublicKeyBytes> raw) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(raw.data(), raw.size(), digest, &length, EVP_sha256(), nullptr) != 1) return "";
  return encode_hex(std::span<const std::uint8_t>(digest, 8));
}

std::string public_key_text(const PublicKey& key) { return std::string(kPublicKeyPrefix) + encode_base64(key.raw); }

tl::expected<PublicKey, Error> parse_public_key(std::string_view text) {
  text = trim(text);
  const std::string shown(text.substr(0, 80));
  if (!text.starts_with(kPublicKeyPrefix)) {
    return tl::unexpected(Error{shown, "a reference key starts with \"ed25519:\""});
  }
  auto raw = decode_base64(text.substr(kPublicKeyPrefix.size()));
  if (!raw) return tl::unexpected(Error{shown, "bad base64: " + raw.error()});
  if (raw->size() != kPublicKeyBytes) {
    return tl::unexpected(Error{shown, "an Ed25519 public key is 32 bytes, this is " + std::to_string(raw->size())});
  }
  PublicKey key;
  std::copy(raw->begin(), raw->end(), key.raw.begin());
  key.id = key_id(key.raw);
  return key;
}

const PublicKey* KeySet::find(std::string_view id) const {
  for (const auto& key : keys) {
    if (key.id == id) return &key;
  }
  return nullptr;
}

tl::expected<KeySet, Error> parse_key_set(std::string_view text, std::string_view source) {
  KeySet set;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = std::min(text.find_first_of(",\n", start), text.size());
    const std::string_view item = trim(text.substr(start, end - start));
    start = end + 1;
    if (item.empty() || item.front() == '#') continue;
    auto key = parse_public_key(item);
    if (!key) return tl::unexpected(Error{std::string(source), key.error().input + ": " + key.error().message});
    if (set.find(key->id) != nullptr) continue;  // the same key twice is harmless
    if (set.keys.size() == kMaxPinnedKeys) {
      return tl::unexpected(Error{std::string(source), "more than " + std::to_string(kMaxPinnedKeys) + " keys"});
    }
    set.keys.push_back(std::move(*key));
  }
  if (set.keys.empty()) return tl::unexpected(Error{std::string(source), "no reference key in it"});
  return set;
}

tl::expected<SigningKey, Error> SigningKey::generate() {
  ERR_clear_error();
  EvpPkeyCtxPtr context(EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nullptr));
  EVP_PKEY* made = nullptr;
  if (!context || EVP_PKEY_keygen_init(context.get()) != 1 || EVP_PKEY_keygen(context.get(), &made) != 1) {
    return tl::unexpected(Error{"Ed25519 key generation", pki::take_openssl_reason("failed")});
  }
  pki::EvpPkeyPtr key(made);
  auto public_key = public_of(key.get(), "generated key");
  if (!public_key) return tl::unexpected(public_key.error());
  return SigningKey(std::move(key), std::move(*public_key));
}

tl::expected<SigningKey, Error> SigningKey::from_pem(std::string_view pem, std::string_view source) {
  ERR_clear_error();
  pki::BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return tl::unexpected(Error{std::string(source), pki::take_openssl_reason("out of memory")});
  pki::EvpPkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!key)
    return tl::unexpected(
        Error{std::string(source), "not a PEM private key: " + pki::take_openssl_reason("unreadable")});
  if (EVP_PKEY_get_id(key.get()) != EVP_PKEY_ED25519) {
    return tl::unexpected(Error{std::string(source), "the signing key must be Ed25519"});
  }
  auto public_key = public_of(key.get(), source);
  if (!public_key) return tl::unexpected(public_key.error());
  return SigningKey(std::move(key), std::move(*public_key));
}

std::string SigningKey::private_pem() const {
  pki::BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), key_.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) return "";
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio.get(), &data);
  return length > 0 ? std::string(data, static_cast<std::size_t>(length)) : "";
}

tl::expected<std::array<std::uint8_t, kSignatureBytes>, Error> SigningKey::sign(
    std::span<const std::uint8_t> message) const {
  ERR_clear_error();
  std::array<std::uint8_t, kSignatureBytes> signature{};
  std::size_t length = signature.size();
  EvpMdCtxPtr context(EVP_MD_CTX_new());
  // Ed25519 is one-shot (no digest name): EVP_DigestSign over the whole message.
  if (!context || EVP_DigestSignInit(context.get(), nullptr, nullptr, nullptr, key_.get()) != 1 ||
      EVP_DigestSign(context.get(), signature.data(), &length, message.data(), message.size()) != 1 ||
      length != signature.size()) {
    return tl::unexpected(Error{"signature", pki::take_openssl_reason("signing failed")});
  }
  return signature;
}

tl::expected<std::array<std::uint8_t, kSignatureBytes>, Error> SigningKey::sign(std::string_view message) const {
  return sign(std::span(reinterpret_cast<const std::uint8_t*>(message.data()), message.size()));
}

std::string_view to_string(SignatureProblem problem) {
  switch (problem) {
    case SignatureProblem::Unsigned:
      return "unsigned";
    case SignatureProblem::UnknownKey:
      return "unknown_key";
    case SignatureProblem::Malformed:
      return "malformed";
    case SignatureProblem::Mismatch:
      return "mismatch";
  }
  return "mismatch";
}

tl::expected<void, SignatureFailure> verify_signature(std::string_view body,
                                                      std::optional<std::string_view> key_id_text,
                                                      std::optional<std::string_view> signature_base64,
                                                      const KeySet& keys) {
  if (!signature_base64 || !key_id_text) {
    return tl::unexpected(SignatureFailure{SignatureProblem::Unsigned, "the answer carries no signature"});
  }
  const PublicKey* key = keys.find(trim(*key_id_text));
  if (key == nullptr) {
    return tl::unexpected(SignatureFailure{
        SignatureProblem::UnknownKey,
        "signed by key " + std::string(trim(*key_id_text).substr(0, 32)) + ", which is not one of the pinned keys"});
  }
  const auto signature = decode_base64(*signature_base64);
  if (!signature || signature->size() != kSignatureBytes) {
    return tl::unexpected(SignatureFailure{SignatureProblem::Malformed, "the signature is not 64 bytes of base64"});
  }
  ERR_clear_error();
  pki::EvpPkeyPtr public_key(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, key->raw.data(), key->raw.size()));
  EvpMdCtxPtr context(EVP_MD_CTX_new());
  const bool valid = public_key && context &&
                     EVP_DigestVerifyInit(context.get(), nullptr, nullptr, nullptr, public_key.get()) == 1 &&
                     EVP_DigestVerify(context.get(), signature->data(), signature->size(),
                                      reinterpret_cast<const unsigned char*>(body.data()), body.size()) == 1;
  ERR_clear_error();
  if (!valid) {
    return tl::unexpected(
        SignatureFailure{SignatureProblem::Mismatch, "the signature does not match the answer (altered or forged)"});
  }
  return {};
}

}  // namespace tlsdoctor::reference
