// A throw-away sysroot for platform tests that need a tree the shared fixtures do not have.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <stdexcept>
#include <fstream>
#include <string>
#include <string_view>

#include "platform/env.h"

namespace tlsdoctor::test {

class TempSysroot {
 public:
  TempSysroot() {
    std::string pattern = (std::filesystem::temp_directory_path() / "tlsdoctor-sysroot-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    root_ = pattern;
  }
  ~TempSysroot() {
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
  }
  TempSysroot(const TempSysroot&) = delete;
  TempSysroot& operator=(const TempSysroot&) = delete;

  const std::filesystem::path& root() const { return root_; }
  std::filesystem::path at(std::string_view absolute) const {
    return root_ / std::filesystem::path(absolute).relative_path();
  }
  void write(std::string_view absolute, std::string_view content) const {
    const auto p = at(absolute);
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << content;
  }
  void copy(const std::filesystem::path& from, std::string_view absolute) const {
    const auto p = at(absolute);
    std::filesystem::create_directories(p.parent_path());
    std::filesystem::copy_file(from, p, std::filesystem::copy_options::overwrite_existing);
  }
  void link(std::string_view absolute, std::string_view target) const {
    const auto p = at(absolute);
    std::filesystem::create_directories(p.parent_path());
    std::filesystem::create_symlink(target, p);
  }
  platform::Env env() const {
    platform::Env e;
    e.sysroot = root_;
    e.run_programs = false;
    return e;
  }

 private:
  std::filesystem::path root_;
};

}  // namespace tlsdoctor::test
