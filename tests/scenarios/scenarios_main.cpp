// The scenario suite's command: runs the table (or the scenarios named with --only), prints it with what each gave.
#include <cstdio>
#include <cstring>
#include <iostream>
#include <set>
#include <string>

#include <fmt/format.h>

#include "scenarios/scenario_runner.h"

using namespace tlsdoctor::scenarios;

namespace {

int usage() {
  std::cerr << "usage: scenarios [--only NAME]... [--list]\n"
               "  --only NAME  run only this scenario (repeatable)\n"
               "  --list       print the table (name, situation, expected) as Markdown and run nothing\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::set<std::string> only;
  bool list = false;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--only") == 0 && i + 1 < argc) {
      only.insert(argv[++i]);
    } else if (std::strcmp(argv[i], "--list") == 0) {
      list = true;
    } else {
      return usage();
    }
  }
  const auto scenarios = all_scenarios();
  for (const auto& name : only) {
    bool known = false;
    for (const auto& s : scenarios) known = known || s.name == name;
    if (!known) {
      std::cerr << "scenarios: no scenario named '" << name << "' (see --list)\n";
      return 2;
    }
  }
  if (list) {
    std::cout << "| scenario | situation | layer | cause | exit | also reported |\n|---|---|---|---|---|---|\n";
    for (const auto& s : scenarios) {
      std::cout << fmt::format("| `{}` | {} | {} | {} | {} | {} |\n", s.name, s.situation, s.expected.layer,
                               s.expected.cause.empty() ? "-" : "`" + s.expected.cause + "`", s.expected.exit_code,
                               s.expected.also.empty() ? "" : "`" + s.expected.also + "`");
    }
    return 0;
  }
  int passed = 0;
  int failed = 0;
  int skipped = 0;
  std::string failures;
  const auto row = [](const std::string& a, const std::string& b, const std::string& c, const std::string& d) {
    return fmt::format("{:<34} {:<50} {:<50} {}\n", a, b, c, d);
  };
  std::cout << row("scenario", "expected", "got", "result") << std::flush;
  for (const auto& s : scenarios) {
    if (!only.empty() && !only.count(s.name)) continue;
    const auto r = run_scenario(s);
    const char* word = r.outcome == Outcome::Passed ? "pass" : r.outcome == Outcome::Skipped ? "skipped" : "FAIL";
    std::cout << row(s.name, describe(s.expected), r.got, fmt::format("{} ({:.1f} s)", word, r.seconds)) << std::flush;
    if (r.outcome == Outcome::Passed) ++passed;
    if (r.outcome == Outcome::Skipped) ++skipped;
    if (r.outcome == Outcome::Failed) {
      ++failed;
      failures += fmt::format("\n===== {} =====\n{}\n", s.name, r.details);
    }
  }
  if (!failures.empty()) std::cout << failures;
  std::cout << fmt::format("{} passed, {} failed", passed, failed) << (skipped ? fmt::format(", {} skipped", skipped) : "")
            << "\n";
  return failed == 0 ? 0 : 1;
}
