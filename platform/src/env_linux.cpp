// Env on Linux: the process environment and the passwd entry for the home directory.
#include <pwd.h>
#include <unistd.h>

#include <array>

#include "platform/env.h"

extern char** environ;

namespace tlsdoctor::platform {

Env Env::from_process() {
  Env env;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    std::string_view kv{*entry};
    const auto eq = kv.find('=');
    if (eq == std::string_view::npos || eq == 0) continue;
    env.vars.emplace(std::string(kv.substr(0, eq)), std::string(kv.substr(eq + 1)));
  }
  return env;
}

std::optional<std::filesystem::path> Env::home() const {
  if (auto h = var("HOME"); h && !h->empty()) return std::filesystem::path(*h);
  if (sysroot != "/") return std::nullopt;  // a fixture tree has no passwd database of ours
  std::array<char, 4096> buf{};
  passwd pw{};
  passwd* found = nullptr;
  if (getpwuid_r(getuid(), &pw, buf.data(), buf.size(), &found) == 0 && found != nullptr &&
      found->pw_dir != nullptr) {
    return std::filesystem::path(found->pw_dir);
  }
  return std::nullopt;
}

}  // namespace tlsdoctor::platform
