// Tests for reference/protocol/key_files.cpp: keygen's files, their modes, no overwrite, and loading keys back.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "lab/temp_tree.h"
#include "reference/protocol/key_files.h"

using namespace tlsdoctor;
using namespace tlsdoctor::reference;
namespace fs = std::filesystem;

TEST_CASE("a key pair is written, read back, and never overwritten", "[key_files]") {
  auto dir = lab::TempTree::create("tlsdoctor-keys-").value();
  const auto keys_dir = dir.path() / "keys";
  const auto key = SigningKey::generate().value();
  const auto written = write_key_pair(keys_dir, key);
  REQUIRE(written);
  CHECK(written->id == key.public_key().id);
  const auto private_path = keys_dir / "signing.key";
  CHECK(fs::status(private_path).permissions() == (fs::perms::owner_read | fs::perms::owner_write));

  const auto loaded = load_signing_key(private_path);
  REQUIRE(loaded);
  CHECK(loaded->public_key().raw == key.public_key().raw);
  const auto pinned = load_key_set((keys_dir / "signing.pub").string());
  REQUIRE(pinned);
  REQUIRE(pinned->keys.size() == 1);
  CHECK(pinned->keys.front().id == key.public_key().id);

  const auto again = write_key_pair(keys_dir, SigningKey::generate().value());
  REQUIRE_FALSE(again);
  CHECK(again.error().input == private_path.string());
  CHECK_THAT(again.error().message, Catch::Contains("never overwritten"));
  CHECK(load_signing_key(private_path)->public_key().raw == key.public_key().raw);
}

TEST_CASE("reference keys come as text or a file, errors name the file", "[key_files]") {
  const auto key = SigningKey::generate().value();
  const auto text = public_key_text(key.public_key());
  const auto from_text = load_key_set(text);
  REQUIRE(from_text);
  CHECK(from_text->keys.front().id == key.public_key().id);

  const auto missing = load_key_set("/nonexistent/tlsdoctor/signing.pub");
  REQUIRE_FALSE(missing);
  CHECK(missing.error().input == "/nonexistent/tlsdoctor/signing.pub");

  auto dir = lab::TempTree::create("tlsdoctor-keys-").value();
  const auto wrong = dir.path() / "wrong.pub";
  { std::ofstream(wrong) << "-----BEGIN PUBLIC KEY-----\n"; }
  const auto refused = load_key_set(wrong.string());
  REQUIRE_FALSE(refused);
  CHECK(refused.error().input == wrong.string());

  const auto huge = dir.path() / "huge.pub";
  { std::ofstream(huge) << std::string(kMaxKeyFileBytes + 1, 'a'); }
  CHECK_THAT(load_key_set(huge.string()).error().message, Catch::Contains("too large"));
  CHECK_FALSE(load_signing_key(dir.path() / "absent.key"));
}
