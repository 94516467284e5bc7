// Tests for reference/protocol/signing.cpp: RFC 8032 vectors, key text, key sets, and every way a signature fails.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include "core/base64.h"
#include "pki/openssl_handles.h"
#include "reference/protocol/signing.h"

using namespace tlsdoctor;
using namespace tlsdoctor::reference;

namespace {

std::vector<std::uint8_t> hex(const std::string& text) {
  std::vector<std::uint8_t> out;
  for (std::size_t i = 0; i + 1 < text.size(); i += 2) {
    out.push_back(static_cast<std::uint8_t>(std::stoi(text.substr(i, 2), nullptr, 16)));
  }
  return out;
}

// RFC 8032 section 7.1, TEST 2 (checked with Python's cryptography package).
const std::string kSecret = "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb";
const std::string kPublic = "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c";
const std::string kMessage = "\x72";
const std::string kSignature =
    "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
    "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00";

std::string rfc_key_pem() {
  const auto secret = hex(kSecret);
  pki::EvpPkeyPtr key(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, secret.data(), secret.size()));
  REQUIRE(key);
  pki::BioPtr bio(BIO_new(BIO_s_mem()));
  REQUIRE(PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1);
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(length));
}

KeySet set_of(const PublicKey& key) { return KeySet{{key}}; }

}  // namespace

TEST_CASE("signing reproduces RFC 8032's Ed25519 test vector", "[signing]") {
  auto key = SigningKey::from_pem(rfc_key_pem(), "rfc key");
  REQUIRE(key);
  CHECK(std::vector<std::uint8_t>(key->public_key().raw.begin(), key->public_key().raw.end()) == hex(kPublic));
  const auto signature = key->sign(kMessage);
  REQUIRE(signature);
  CHECK(std::vector<std::uint8_t>(signature->begin(), signature->end()) == hex(kSignature));
}

TEST_CASE("verification accepts RFC 8032's signature and nothing altered", "[signing]") {
  const auto raw = hex(kPublic);
  PublicKey key;
  std::copy(raw.begin(), raw.end(), key.raw.begin());
  key.id = key_id(key.raw);
  const auto keys = set_of(key);
  const std::string signature = encode_base64(hex(kSignature));
  CHECK(verify_signature(kMessage, key.id, signature, keys));

  const auto altered = verify_signature("\x73", key.id, signature, keys);
  REQUIRE_FALSE(altered);
  CHECK(altered.error().problem == SignatureProblem::Mismatch);
  auto flipped = hex(kSignature);
  flipped[10] ^= 1;
  CHECK(verify_signature(kMessage, key.id, encode_base64(flipped), keys).error().problem == SignatureProblem::Mismatch);
  CHECK(verify_signature(kMessage, std::nullopt, signature, keys).error().problem == SignatureProblem::Unsigned);
  CHECK(verify_signature(kMessage, key.id, std::nullopt, keys).error().problem == SignatureProblem::Unsigned);
  CHECK(verify_signature(kMessage, "0011223344556677", signature, keys).error().problem ==
        SignatureProblem::UnknownKey);
  CHECK(verify_signature(kMessage, key.id, "not base64!", keys).error().problem == SignatureProblem::Malformed);
  CHECK(verify_signature(kMessage, key.id, encode_base64(hex("0011")), keys).error().problem ==
        SignatureProblem::Malformed);
}

TEST_CASE("a signature by another key is refused even when that key's id is claimed", "[signing]") {
  auto pinned = SigningKey::generate();
  auto forger = SigningKey::generate();
  REQUIRE(pinned);
  REQUIRE(forger);
  CHECK(pinned->public_key().id != forger->public_key().id);
  const std::string body = R"({"kind":"time"})";
  const auto forged = forger->sign(body);
  REQUIRE(forged);
  const auto keys = set_of(pinned->public_key());
  const auto result = verify_signature(body, pinned->public_key().id, encode_base64(*forged), keys);
  REQUIRE_FALSE(result);
  CHECK(result.error().problem == SignatureProblem::Mismatch);
  const auto genuine = pinned->sign(body);
  REQUIRE(genuine);
  CHECK(verify_signature(body, pinned->public_key().id, encode_base64(*genuine), keys));
}

TEST_CASE("public keys round-trip through their text form, bad text is named", "[signing]") {
  auto key = SigningKey::generate();
  REQUIRE(key);
  const std::string text = public_key_text(key->public_key());
  CHECK(text.starts_with("ed25519:"));
  const auto parsed = parse_public_key("  " + text + "\r");
  REQUIRE(parsed);
  CHECK(parsed->raw == key->public_key().raw);
  CHECK(parsed->id == key->public_key().id);
  CHECK(parsed->id.size() == 16);

  CHECK_THAT(parse_public_key("rsa:AAAA").error().message, Catch::Contains("ed25519:"));
  CHECK_THAT(parse_public_key("ed25519:AAAA").error().message, Catch::Contains("32 bytes"));
  CHECK_THAT(parse_public_key("ed25519:@@@@").error().message, Catch::Contains("base64"));
}

TEST_CASE("key sets: several keys for a rotation, comments, duplicates, limits", "[signing]") {
  auto a = SigningKey::generate();
  auto b = SigningKey::generate();
  REQUIRE(a);
  REQUIRE(b);
  const std::string ta = public_key_text(a->public_key());
  const std::string tb = public_key_text(b->public_key());
  const auto lines = parse_key_set("# current and next\n" + ta + "\n\n" + tb + "\n" + ta + "\n", "keys.pub");
  REQUIRE(lines);
  CHECK(lines->keys.size() == 2);
  CHECK(lines->find(b->public_key().id) != nullptr);
  CHECK(lines->find("ffffffffffffffff") == nullptr);
  const auto commas = parse_key_set(ta + "," + tb, "--reference-key");
  REQUIRE(commas);
  CHECK(commas->keys.size() == 2);

  const auto empty = parse_key_set("# nothing\n", "keys.pub");
  REQUIRE_FALSE(empty);
  CHECK(empty.error().input == "keys.pub");
  const auto bad = parse_key_set(ta + "\ned25519:AAAA\n", "keys.pub");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().input == "keys.pub");
  CHECK_THAT(bad.error().message, Catch::Contains("32 bytes"));
}

TEST_CASE("a private key that is not Ed25519, or not a key, is refused by name", "[signing]") {
  pki::EvpPkeyPtr ec(EVP_EC_gen("P-256"));
  REQUIRE(ec);
  pki::BioPtr bio(BIO_new(BIO_s_mem()));
  REQUIRE(PEM_write_bio_PrivateKey(bio.get(), ec.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1);
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio.get(), &data);
  const auto not_ed = SigningKey::from_pem(std::string(data, static_cast<std::size_t>(length)), "ec.key");
  REQUIRE_FALSE(not_ed);
  CHECK(not_ed.error().input == "ec.key");
  CHECK_THAT(not_ed.error().message, Catch::Contains("Ed25519"));
  const auto garbage = SigningKey::from_pem("hello", "garbage.key");
  REQUIRE_FALSE(garbage);
  CHECK(garbage.error().input == "garbage.key");
}
