// Tests for core/atomic_file_posix.cpp: the whole file or the old one, the mode asked for, clear errors, no leftovers.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include "core/atomic_file.h"

using tlsdoctor::write_file_atomically;
namespace fs = std::filesystem;

namespace {

fs::path temp_dir() {
  auto dir = fs::temp_directory_path() / ("tlsdoctor-output-test-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return dir;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

TEST_CASE("a report replaces the old file whole and leaves no temporary file") {
  const auto dir = temp_dir();
  const auto file = dir / "report.json";
  { std::ofstream(file) << "old"; }
  REQUIRE(write_file_atomically(file.string(), "{\"new\": true}\n"));
  CHECK(slurp(file) == "{\"new\": true}\n");
  CHECK(std::distance(fs::directory_iterator(dir), fs::directory_iterator{}) == 1);
  CHECK((fs::status(file).permissions() & fs::perms::others_read) != fs::perms::none);
  fs::remove_all(dir);
}

TEST_CASE("a secret is written with mode 0600") {
  const auto dir = temp_dir();
  const auto file = dir / "secret.key";
  REQUIRE(write_file_atomically(file.string(), "secret", 0600));
  CHECK(fs::status(file).permissions() == (fs::perms::owner_read | fs::perms::owner_write));
  CHECK(slurp(file) == "secret");
  fs::remove_all(dir);
}

TEST_CASE("an unwritable place is an error naming the path, and nothing is written") {
  const auto missing = fs::path("/nonexistent-dir-for-tlsdoctor/report.json");
  const auto result = write_file_atomically(missing.string(), "data");
  REQUIRE_FALSE(result);
  CHECK(result.error().input == missing.string());
  CHECK_FALSE(result.error().message.empty());
  CHECK_FALSE(fs::exists(missing));
}

TEST_CASE("a directory in the way is an error, and the directory survives") {
  const auto dir = temp_dir();
  const auto target = dir / "taken";
  fs::create_directories(target / "inner");
  const auto result = write_file_atomically(target.string(), "data");
  REQUIRE_FALSE(result);
  CHECK(fs::is_directory(target / "inner"));
  CHECK(std::distance(fs::directory_iterator(dir), fs::directory_iterator{}) == 1);
  fs::remove_all(dir);
}
