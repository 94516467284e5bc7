// Temporary trees: mkdtemp, recursive removal, and copies of tests/fixtures/<name>.
#include "lab/temp_tree.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <system_error>
#include <vector>

namespace tlsdoctor::lab {

tl::expected<TempTree, std::string> TempTree::create(std::string_view prefix) {
  std::error_code ec;
  const auto base = std::filesystem::temp_directory_path(ec);
  if (ec) return tl::unexpected("no temporary directory: " + ec.message());
  std::string pattern = (base / (std::string(prefix) + "XXXXXX")).string();
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (::mkdtemp(buffer.data()) == nullptr) {
    return tl::unexpected("mkdtemp " + pattern + ": " + std::strerror(errno));
  }
  return TempTree(std::filesystem::path(buffer.data()));
}

TempTree::TempTree(TempTree&& other) noexcept : path_(std::move(other.path_)) { other.path_.clear(); }

TempTree& TempTree::operator=(TempTree&& other) noexcept {
  if (this != &other) {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
    path_ = std::move(other.path_);
    other.path_.clear();
  }
  return *this;
}

TempTree::~TempTree() {
  std::error_code ec;
  if (!path_.empty()) std::filesystem::remove_all(path_, ec);
}

std::filesystem::path fixtures_dir() { return TLSDOCTOR_FIXTURES_DIR; }

tl::expected<TempTree, std::string> copy_fixture(std::string_view name) {
  const auto source = fixtures_dir() / name;
  std::error_code ec;
  if (!std::filesystem::is_directory(source, ec)) {
    return tl::unexpected("no fixture tree " + source.string());
  }
  auto tree = TempTree::create("tlsdoctor-" + std::string(name) + "-");
  if (!tree) return tl::unexpected(tree.error());
  std::filesystem::copy(source, tree->path(),
                        std::filesystem::copy_options::recursive | std::filesystem::copy_options::copy_symlinks,
                        ec);
  if (ec) return tl::unexpected("copying " + source.string() + ": " + ec.message());
  return tree;
}

}  // namespace tlsdoctor::lab
