// Tests for core/bounded_file.cpp: the bytes as written, and refusals that name the path.
#include <catch2/catch.hpp>

#include <fstream>

#include "core/bounded_file.h"
#include "lab/temp_tree.h"

using namespace tlsdoctor;

TEST_CASE("a file within the cap is read whole, a larger or missing one is refused by name", "[bounded_file]") {
  const auto dir = lab::TempTree::create("tlsdoctor-bounded-").value();
  const auto path = dir.path() / "key.pem";
  const std::string bytes("line one\n\0binary\n", 17);
  std::ofstream(path, std::ios::binary) << bytes;
  const auto read = read_bounded_file(path, 64, "a key file");
  REQUIRE(read);
  CHECK(*read == bytes);

  const auto large = read_bounded_file(path, 16, "a key file");
  REQUIRE_FALSE(large);
  CHECK(large.error().input == path.string());
  CHECK_THAT(large.error().message, Catch::Contains("too large for a key file (17 bytes)"));

  const auto missing = read_bounded_file(dir.path() / "absent.pem", 64, "a key file");
  REQUIRE_FALSE(missing);
  CHECK(missing.error().input == (dir.path() / "absent.pem").string());

  const auto directory = read_bounded_file(dir.path(), 1 << 20, "a key file");
  CHECK_FALSE(directory);
}
