// Builds the CLI11 parser for the command-line contract of DESIGN.md and validates the values.
#include "cli/parse_args.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <sstream>

namespace tlsdoctor::cli {
namespace {

std::vector<std::string> split_commas(const std::vector<std::string>& values) {
  std::vector<std::string> out;
  for (const auto& v : values) {
    std::stringstream ss(v);
    std::string item;
    while (std::getline(ss, item, ',')) {
      if (!item.empty()) out.push_back(item);
    }
  }
  return out;
}

}  // namespace

tl::expected<Options, UsageError> parse_args(int argc, const char* const* argv,
                                             const std::vector<std::string_view>& known_checks) {
  Options opts;
  CLI::App app{"tlsdoctor: finds out why TLS handshakes fail on this machine.", "tlsdoctor"};

  std::string format = "text";
  double timeout_seconds = static_cast<double>(kDefaultRunTimeout.count());
  std::vector<std::string> only;
  std::vector<std::string> targets;
  bool version = false;

  app.add_option("-f,--format", format, "Output format: text or json")->capture_default_str();
  app.add_option("-o,--output", opts.output, "Write the report to FILE (atomically)");
  app.add_option("--only", only, "Run only these checks (comma-separated ids)")->delimiter(',');
  app.add_option("--timeout", timeout_seconds, "Deadline for the whole run, in seconds")
      ->capture_default_str();
  app.add_flag("-v,--verbose", opts.verbose, "Show evidence and the facts each check used");
  app.add_flag("-q,--quiet", opts.quiet, "Print only the verdict");
  app.add_flag("--no-color", opts.no_color, "Never use colour");
  app.add_flag("--no-redact", opts.no_redact,
               "Keep user, host, home paths, proxy credentials and private addresses in the report");
  app.add_flag("--version", version, "Print version and build information");
  app.add_option("targets", targets, "Targets: https://host[:port] or host[:port]");
  app.fallthrough();

  auto* check = app.add_subcommand("check", "Check this machine (the default command)");
  check->add_option("targets", targets, "Targets: https://host[:port] or host[:port]");
  check->fallthrough();
  auto* list = app.add_subcommand("list-checks", "List the checks and their ids");
  app.require_subcommand(0, 1);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    opts.command = Command::Help;
    opts.help_text = app.help();
    return opts;
  } catch (const CLI::ParseError& e) {
    return tl::unexpected(UsageError{e.what()});
  }

  if (version) {
    opts.command = Command::Version;
    return opts;
  }
  if (list->parsed()) opts.command = Command::ListChecks;

  if (format == "text") {
    opts.format = Format::Text;
  } else if (format == "json") {
    opts.format = Format::Json;
  } else {
    return tl::unexpected(UsageError{
        fmt::format("--format: '{}' is not a format this version writes (text, json)", format)});
  }
  if (!std::isfinite(timeout_seconds) || timeout_seconds < kMinTimeoutSeconds ||
      timeout_seconds > kMaxTimeoutSeconds) {
    return tl::unexpected(UsageError{fmt::format("--timeout: {} is outside {}..{} seconds",
                                                 timeout_seconds, kMinTimeoutSeconds,
                                                 kMaxTimeoutSeconds)});
  }
  opts.timeout = std::chrono::milliseconds{static_cast<long>(timeout_seconds * 1000.0)};

  opts.only = split_commas(only);
  for (const auto& id : opts.only) {
    if (std::find(known_checks.begin(), known_checks.end(), id) == known_checks.end()) {
      std::string known;
      for (auto k : known_checks) known += (known.empty() ? "" : ", ") + std::string(k);
      return tl::unexpected(
          UsageError{fmt::format("--only: '{}' is not a check (known: {})", id, known)});
    }
  }
  if (opts.output && opts.output->empty()) {
    return tl::unexpected(UsageError{"--output: the file name is empty"});
  }
  opts.targets = targets;
  if (!opts.targets.empty()) {
    return tl::unexpected(UsageError{fmt::format(
        "target '{}': diagnosing targets end to end needs the probe engine, which this "
        "version does not have yet; run without targets to check this machine",
        opts.targets.front())});
  }
  (void)check;
  return opts;
}

}  // namespace tlsdoctor::cli
