// The scenario suite's command: runs the table (or the scenarios named with --only), prints it with what each gave.
#include <csignal>
#include <fstream>
#include <iterator>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <set>
#include <string>

#include <fmt/format.h>

#include "lab/network_namespace.h"
#include "scenarios/scenario_runner.h"

using namespace tlsdoctor::scenarios;

namespace {

// Set by SIGINT or SIGTERM: the scenario under way finishes (its components are stopped and its
// directory removed by their destructors), and no further one starts.
volatile std::sig_atomic_t interrupted = 0;

void on_signal(int) { interrupted = 1; }

int usage() {
  std::cerr << "usage: scenarios [--only NAME]... [--list | --check-doc FILE]\n"
               "  --only NAME       run only this scenario (repeatable)\n"
               "  --list            print the table (name, situation, expected) as Markdown and run nothing\n"
               "  --check-doc FILE  exit 1 unless FILE holds the table exactly as --list prints it\n";
  return 2;
}

std::string markdown_table(const std::vector<Scenario>& scenarios) {
  std::string out = "| scenario | situation | layer | cause | exit | also reported |\n|---|---|---|---|---|---|\n";
  for (const auto& s : scenarios) {
    out += fmt::format("| `{}` | {} | {} | {} | {} | {} |\n", s.name, s.situation, s.expected.layer,
                       s.expected.cause.empty() ? "-" : "`" + s.expected.cause + "`", s.expected.exit_code,
                       s.expected.also.empty() ? "" : "`" + s.expected.also + "`");
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::set<std::string> only;
  bool list = false;
  std::string check_doc;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--only") == 0 && i + 1 < argc) {
      only.insert(argv[++i]);
    } else if (std::strcmp(argv[i], "--check-doc") == 0 && i + 1 < argc) {
      check_doc = argv[++i];
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
    std::cout << markdown_table(scenarios);
    return 0;
  }
  if (!check_doc.empty()) {
    std::ifstream in(check_doc);
    const std::string doc((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in && doc.empty()) {
      std::cerr << "scenarios: cannot read " << check_doc << "\n";
      return 2;
    }
    if (doc.find(markdown_table(scenarios)) == std::string::npos) {
      std::cerr << check_doc << " does not hold the scenario table as `scenarios --list` prints it:\n"
                << markdown_table(scenarios);
      return 1;
    }
    std::cout << check_doc << " holds the table of " << scenarios.size() << " scenarios\n";
    return 0;
  }
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  if (const int stale = tlsdoctor::lab::NetworkNamespace::remove_stale(); stale > 0) {
    std::cout << "removed " << stale << " network namespace(s) an interrupted run left behind\n";
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
    if (interrupted) break;
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
  if (interrupted) std::cout << "interrupted: the remaining scenarios did not run\n";
  std::cout << fmt::format("{} passed, {} failed", passed, failed) << (skipped ? fmt::format(", {} skipped", skipped) : "")
            << "\n";
  return failed == 0 && !interrupted ? 0 : 1;
}
