// Symbolic-link resolution confined to the sysroot, one path component at a time.
#include "platform/sysroot_path.h"

#include <deque>
#include <filesystem>
#include <system_error>
#include <vector>

namespace tlsdoctor::platform {
namespace {

namespace fs = std::filesystem;

void push_components(std::deque<std::string>& into, std::string_view path) {
  std::deque<std::string> parts;
  std::size_t start = 0;
  while (start <= path.size()) {
    const auto slash = path.find('/', start);
    const auto end = slash == std::string_view::npos ? path.size() : slash;
    if (end > start) parts.emplace_back(path.substr(start, end - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  into.insert(into.begin(), parts.begin(), parts.end());
}

std::string join(const std::vector<std::string>& done, const std::deque<std::string>& rest = {}) {
  std::string out;
  for (const auto& part : done) out += "/" + part;
  for (const auto& part : rest) out += "/" + part;
  return out.empty() ? "/" : out;
}

}  // namespace

tl::expected<ResolvedPath, Error> resolve_in_sysroot(const Env& env, std::string_view absolute) {
  std::deque<std::string> pending;
  push_components(pending, absolute);
  std::vector<std::string> done;
  int hops = 0;
  while (!pending.empty()) {
    std::string part = std::move(pending.front());
    pending.pop_front();
    if (part == ".") continue;
    if (part == "..") {
      if (!done.empty()) done.pop_back();  // never above the sysroot
      continue;
    }
    done.push_back(std::move(part));
    const fs::path real = env.path(join(done));
    std::error_code ec;
    const auto status = fs::symlink_status(real, ec);
    if (!fs::exists(status)) return ResolvedPath{join(done, pending), false};
    if (fs::is_symlink(status)) {
      if (++hops > kMaxSymlinkHops) {
        return tl::unexpected(Error{std::string(absolute), "too many levels of symbolic links"});
      }
      const auto target = fs::read_symlink(real, ec);
      if (ec) return tl::unexpected(Error{join(done), "cannot read link: " + ec.message()});
      done.pop_back();
      if (target.is_absolute()) done.clear();
      push_components(pending, target.string());
      continue;
    }
    if (!pending.empty() && !fs::is_directory(status)) {
      return ResolvedPath{join(done, pending), false};  // a file used as a directory
    }
  }
  return ResolvedPath{join(done), true};
}

}  // namespace tlsdoctor::platform
