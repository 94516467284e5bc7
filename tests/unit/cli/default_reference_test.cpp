// Tests for cli/default_reference.cpp: the flags' reference, then the build's, never with a snapshot.
#include <catch2/catch.hpp>

#include "cli/default_reference.h"

using namespace tlsdoctor::cli;

TEST_CASE("the command line's reference wins over the build's default", "[default_reference]") {
  const ReferenceChoice built{"https://ref.vendor.example", "ed25519:built", true};
  Options options;
  auto chosen = choose_reference(options, built);
  REQUIRE(chosen);
  CHECK(chosen->url == "https://ref.vendor.example");
  CHECK(chosen->from_build);

  options.reference_url = "https://ref.corp.example";
  options.reference_key = "ed25519:flag";
  chosen = choose_reference(options, built);
  REQUIRE(chosen);
  CHECK(chosen->url == "https://ref.corp.example");
  CHECK(chosen->key == "ed25519:flag");
  CHECK_FALSE(chosen->from_build);
}

TEST_CASE("no live reference with a snapshot, or when the build names none", "[default_reference]") {
  Options options;
  CHECK_FALSE(choose_reference(options, ReferenceChoice{}));
  CHECK_FALSE(choose_reference(options, ReferenceChoice{"https://ref.vendor.example", "", true}));
  options.reference_file = "known-good.json";
  CHECK_FALSE(choose_reference(options, ReferenceChoice{"https://ref.vendor.example", "ed25519:built", true}));
}
