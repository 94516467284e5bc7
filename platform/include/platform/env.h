// The machine as platform backends see it: a sysroot prefix for file reads and an environment snapshot.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace tlsdoctor::platform {

// Every backend reads files and variables through an Env, never directly, so that tests can
// point a backend at a fixture tree (tests/fixtures/sysroot-*) with a made-up environment.
struct Env {
  // Prefix for every absolute path a backend reads ("/" on a real run).
  std::filesystem::path sysroot = "/";
  // The process environment, captured once at start-up.
  std::map<std::string, std::string, std::less<>> vars;
  // Outside programs (gsettings, certutil) are run only when this is true; fixture tests turn
  // it off or point sysroot at a tree whose usr/bin holds stand-in scripts.
  bool run_programs = true;
  // Upper bound for one outside program or one file-system walk.
  std::chrono::milliseconds program_timeout{2000};

  // The process's real machine: sysroot "/", the current environment.
  static Env from_process();

  // The variable's value, or nullopt when unset. An empty value is returned as "".
  std::optional<std::string> var(std::string_view name) const;
  // `absolute` ("/etc/timezone") mapped under the sysroot.
  std::filesystem::path path(std::string_view absolute) const;
  // A path as the user would see it, i.e. without the sysroot prefix (for facts and reports).
  std::string display(const std::filesystem::path& under_sysroot) const;
  // The user's home directory: $HOME, else the passwd entry (only on a real run).
  std::optional<std::filesystem::path> home() const;
};

}  // namespace tlsdoctor::platform
