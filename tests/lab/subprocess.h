// Runs a program (usually the built tlsdoctor) the way a user would, and captures what it did.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tlsdoctor::lab {

struct ProcessResult {
  int exit_code = -1;  // 128 + signal when killed by one
  bool timed_out = false;
  std::string out;
  std::string err;
};

struct ProcessOptions {
  // Variables added to (or, with an empty optional, removed from) the test's own environment.
  std::map<std::string, std::optional<std::string>> env;
  std::chrono::milliseconds timeout{60000};
};

// Runs argv (argv[0] an absolute path or a name found on PATH) with stdin from /dev/null.
ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& options = {});

// The tlsdoctor binary this build made.
std::string tlsdoctor_binary();
// The tlsdoctor-reference binary this build made.
std::string tlsdoctor_reference_binary();

// Full path of a program on PATH, or nullopt (for tests that need faketime, certutil, ...).
std::optional<std::string> find_on_path(const std::string& name);

// True when TLSDOCTOR_REQUIRE_LAB=1: a missing prerequisite must fail, not skip.
bool lab_required();

}  // namespace tlsdoctor::lab
