// Temporary directories for tests, and writable copies of the fixture sysroots.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include <tl/expected.hpp>

namespace tlsdoctor::lab {

// A directory under the system temporary directory, removed (recursively) on destruction.
class TempTree {
 public:
  // mkdtemp("<tmp>/<prefix>XXXXXX").
  static tl::expected<TempTree, std::string> create(std::string_view prefix);

  TempTree(TempTree&& other) noexcept;
  TempTree& operator=(TempTree&& other) noexcept;
  TempTree(const TempTree&) = delete;
  TempTree& operator=(const TempTree&) = delete;
  ~TempTree();

  const std::filesystem::path& path() const { return path_; }

 private:
  explicit TempTree(std::filesystem::path path) : path_(std::move(path)) {}
  std::filesystem::path path_;
};

// tests/fixtures (compiled in as TLSDOCTOR_FIXTURES_DIR).
std::filesystem::path fixtures_dir();

// A temporary copy of tests/fixtures/<name> (symbolic links kept as links), so a test can add
// generated files (certificates, keys) without touching the committed tree.
tl::expected<TempTree, std::string> copy_fixture(std::string_view name);

}  // namespace tlsdoctor::lab
