// Builds the CLI11 parser for the command-line contract of DESIGN.md and validates the values.
#include "cli/parse_args.h"

#include "cli/captive_source.h"
#include "cli/output_format.h"
#include "cli/target.h"
#include "core/bounded_file.h"
#include "nettime/date_fetch.h"
#include "proxy/proxy_url.h"
#include "reference/protocol/key_files.h"
#include "reference/protocol/snapshot.h"

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

  app.add_option("-f,--format", format, "Output format: text, json, html, jamf, intune or jsonl")->capture_default_str();
  app.add_option("-o,--output", opts.output, "Write the report to FILE (atomically)");
  // Options that repeat take one value per occurrence, so that a target after them stays a target.
  app.add_option("--only", only, "Run only these checks (comma-separated ids)")->delimiter(',')->allow_extra_args(false);
  app.add_option("--timeout", timeout_seconds, "Deadline for the whole run, in seconds")
      ->capture_default_str();
  app.add_flag("-v,--verbose", opts.verbose, "Show evidence and the facts each check used");
  app.add_flag("-q,--quiet", opts.quiet, "Print only the verdict");
  app.add_flag("--no-color", opts.no_color, "Never use colour");
  app.add_flag("--no-redact", opts.no_redact,
               "Keep user, host, home paths, private and MAC addresses and URL queries in the report");
  app.add_flag("--version", version, "Print version and build information");
  app.add_option("targets", targets, "Targets: https://host[:port] or host[:port]");
  app.fallthrough();

  auto* check = app.add_subcommand("check", "Check this machine (the default command)");
  check->add_option("targets", targets, "Targets: https://host[:port] or host[:port]");
  check->fallthrough();
  auto* list = app.add_subcommand("list-checks", "List the checks and their ids");
  std::vector<std::string> resolve;
  app.add_option("--resolve", resolve, "Use ADDR for HOST:PORT (HOST:PORT:ADDR, as curl's --resolve)")->allow_extra_args(false);
  app.add_option("--reference", opts.reference_url, "A tlsdoctor-reference to compare this machine's TLS with (https://...)");
  app.add_option("--reference-key", opts.reference_key,
                 "The reference's public key(s): its signing.pub file, or the \"ed25519:...\" text");

  auto* global_proxy = app.add_option("--proxy", opts.proxy, "Reach the reference through this proxy, not the system's route");
  auto* global_no_proxy = app.add_flag("--no-proxy", opts.no_proxy, "Reach the reference directly, ignoring proxy variables");
  global_proxy->excludes(global_no_proxy);
  auto* offline = app.add_flag("--offline", opts.offline,
                               "No network: no reference, no time sources; only what this machine shows");
  app.add_option("--time-source", opts.time_sources,
                 "An https:// host whose Date header the clock is compared with when no reference gives the "
                 "time (repeatable; replaces the default hosts)")
      ->delimiter(',')
      ->allow_extra_args(false);
  app.add_option("--captive-url", opts.captive_url,
                 "A plain-HTTP page whose exact answer is known, for the captive-portal check (default: the "
                 "reference's http://HOST/v1/captive)");
  app.add_option("--ca-file", opts.ca_file, "Verify targets and time sources against this PEM bundle, not the system store");
  auto* policy_option = app.add_option("--policy", opts.policy_file,
                                       "The MDM policy to follow (default: /etc/tlsdoctor/policy.json when present)");
  auto* no_policy = app.add_flag("--no-policy", opts.no_policy, "Follow no policy, not even the default one");
  policy_option->excludes(no_policy);
  app.add_option("--reference-file", opts.reference_file,
                 "A snapshot (written by 'tlsdoctor snapshot') instead of a live reference");

  auto* snapshot = app.add_subcommand("snapshot", "Record what this (known-good) machine sees of TARGETs, for --reference-file");
  snapshot->add_option("targets", opts.snapshot.targets, "HOST[:PORT] or https://host[:port]");
  snapshot->add_option("--ca-file", opts.snapshot.ca_file, "Verify against this PEM bundle instead of the system store");
  snapshot->fallthrough();

  auto* compare = app.add_subcommand("compare", "Show what differs, that matters, between two JSON reports (A, then B)");
  std::vector<std::string> compare_files;
  compare->add_option("reports", compare_files, "A.json B.json");
  compare->fallthrough();

  auto* probe = app.add_subcommand("probe", "Handshake with HOST[:PORT] and show what was seen on the wire");
  std::vector<std::string> probe_targets;
  std::string sni;
  probe->add_option("target", probe_targets, "HOST[:PORT] or https://host[:port]");
  probe->add_flag("--all-versions", opts.probe.all_versions, "Also probe with each of TLS 1.0-1.3 pinned");
  auto* sni_option = probe->add_option("--sni", sni, "Send NAME as SNI instead of the host");
  auto* no_sni = probe->add_flag("--no-sni", opts.probe.no_sni, "Send no SNI at all");
  sni_option->excludes(no_sni);
  probe->add_option("--ca-file", opts.probe.ca_file, "Verify against this PEM bundle instead of the system store");
  auto* proxy_option = probe->add_option("--proxy", opts.probe.proxy, "Connect through this HTTP proxy (CONNECT)");
  auto* no_proxy = probe->add_flag("--no-proxy", opts.probe.no_proxy, "Connect directly, ignoring proxy variables");
  proxy_option->excludes(no_proxy);
  probe->fallthrough();
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
  for (const auto& entry : resolve) {
    if (auto parsed_entry = parse_resolve(entry); !parsed_entry) return tl::unexpected(parsed_entry.error());
  }
  opts.resolve = resolve;
  if (opts.reference_url.has_value() != opts.reference_key.has_value()) {
    return tl::unexpected(UsageError{opts.reference_url ? "--reference needs --reference-key (the reference's signing.pub)"
                                                        : "--reference-key needs --reference URL"});
  }
  if (opts.reference_url && !opts.reference_url->starts_with("https://")) {
    return tl::unexpected(UsageError{fmt::format("--reference: '{}' is not an https:// URL", *opts.reference_url)});
  }
  if (opts.reference_key) {
    if (auto keys = reference::load_key_set(*opts.reference_key); !keys) {
      return tl::unexpected(UsageError{fmt::format("--reference-key: {}: {}", keys.error().input, keys.error().message)});
    }
  }
  if (opts.proxy) {
    if (auto parsed_proxy = proxy::parse_proxy_url(*opts.proxy); !parsed_proxy) {
      return tl::unexpected(UsageError{fmt::format("--proxy: '{}': {}", parsed_proxy.error().input, parsed_proxy.error().message)});
    }
  }
  if (opts.offline && (opts.reference_url || !opts.time_sources.empty())) {
    return tl::unexpected(UsageError{opts.reference_url ? "--offline and --reference: an offline run asks no reference"
                                                        : "--offline and --time-source: an offline run asks no host"});
  }
  if (opts.captive_url) {
    if (opts.offline) return tl::unexpected(UsageError{"--offline and --captive-url: an offline run asks no page"});
    if (auto where = parse_http_url(*opts.captive_url); !where) {
      return tl::unexpected(UsageError{"--captive-url: " + where.error().message});
    }
  }
  if (opts.time_sources.size() > nettime::kMaxDateSources) {
    return tl::unexpected(UsageError{fmt::format("--time-source: at most {} hosts", nettime::kMaxDateSources)});
  }
  for (const auto& url : opts.time_sources) {
    if (!url.starts_with("https://")) {
      return tl::unexpected(UsageError{fmt::format("--time-source: '{}' is not an https:// URL", url)});
    }
    if (auto where = parse_target(url); !where) {
      return tl::unexpected(UsageError{fmt::format("--time-source: {}", where.error().message)});
    }
  }
  if (opts.ca_file) {
    if (opts.ca_file->empty()) return tl::unexpected(UsageError{"--ca-file: the file name is empty"});
    if (auto bundle = read_bounded_file(*opts.ca_file, kMaxCaFileBytes, "a CA bundle"); !bundle) {
      return tl::unexpected(UsageError{fmt::format("--ca-file: {}: {}", bundle.error().input, bundle.error().message)});
    }
  }
  if (opts.reference_file && opts.reference_url) {
    return tl::unexpected(UsageError{"--reference-file and --reference: use one reference at a time"});
  }
  if (opts.reference_file) {
    if (auto loaded = reference::load_snapshot(*opts.reference_file); !loaded) {
      return tl::unexpected(UsageError{fmt::format("--reference-file: {}: {}", loaded.error().input, loaded.error().message)});
    }
  }
  if (snapshot->parsed()) {
    opts.command = Command::Snapshot;
    if (opts.snapshot.targets.empty()) return tl::unexpected(UsageError{"snapshot: name at least one TARGET"});
    if (opts.snapshot.targets.size() > reference::kMaxSnapshotTargets) {
      return tl::unexpected(UsageError{fmt::format("snapshot: at most {} targets", reference::kMaxSnapshotTargets)});
    }
    for (const auto& text : opts.snapshot.targets) {
      if (auto target = parse_target(text); !target) return tl::unexpected(target.error());
    }
    if (!opts.output) return tl::unexpected(UsageError{"snapshot: name the file to write with -o FILE"});
  }
  if (compare->parsed()) {
    opts.command = Command::Compare;
    if (compare_files.size() != 2) {
      return tl::unexpected(UsageError{"compare: name two JSON reports, A and B (tlsdoctor -f json -o FILE writes one)"});
    }
    opts.compare = {compare_files[0], compare_files[1]};
  }
  if (probe->parsed()) {
    opts.command = Command::Probe;
    // A route given before the subcommand holds for it too, unless it names its own.
    if (!opts.probe.proxy && !opts.probe.no_proxy) {
      opts.probe.proxy = opts.proxy;
      opts.probe.no_proxy = opts.no_proxy;
    }
    if (!opts.probe.ca_file) opts.probe.ca_file = opts.ca_file;
    if (probe_targets.size() != 1) {
      return tl::unexpected(UsageError{probe_targets.empty()
                                           ? "probe: name the HOST[:PORT] to probe"
                                           : "probe: one HOST[:PORT] at a time"});
    }
    if (auto target = parse_target(probe_targets.front()); !target) return tl::unexpected(target.error());
    opts.probe.target = probe_targets.front();
    if (!sni.empty()) opts.probe.sni = sni;
    if (sni_option->count() > 0 && sni.empty()) {
      return tl::unexpected(UsageError{"--sni: the name is empty (use --no-sni to send none)"});
    }
    if (opts.probe.ca_file && opts.probe.ca_file->empty()) {
      return tl::unexpected(UsageError{"--ca-file: the file name is empty"});
    }
    if (opts.probe.proxy && opts.probe.proxy->empty()) {
      return tl::unexpected(UsageError{"--proxy: the proxy URL is empty (use --no-proxy for none)"});
    }
  }

  if (const auto chosen = format_from_string(format)) {
    opts.format = *chosen;
  } else {
    return tl::unexpected(UsageError{
        fmt::format("--format: '{}' is not a format this version writes ({})", format, format_names())});
  }
  if (opts.command != Command::Check && opts.format != Format::Text && opts.format != Format::Json) {
    return tl::unexpected(UsageError{fmt::format("--format: only a check writes {}; this command writes text or json",
                                                 format)});
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
  if (opts.policy_file && opts.policy_file->empty()) {
    return tl::unexpected(UsageError{"--policy: the file name is empty (use --no-policy for none)"});
  }
  if (opts.output && opts.output->empty()) {
    return tl::unexpected(UsageError{"--output: the file name is empty"});
  }
  opts.targets = targets;
  if (opts.targets.size() > kMaxTargets) {
    return tl::unexpected(UsageError{fmt::format("at most {} targets in one run", kMaxTargets)});
  }
  for (const auto& text : opts.targets) {
    if (auto target = parse_target(text); !target) return tl::unexpected(target.error());
  }
  (void)check;
  (void)offline;
  return opts;
}

}  // namespace tlsdoctor::cli
