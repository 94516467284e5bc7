// The tlsdoctor command from arguments to exit code.
#include "cli/app.h"

#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <random>

#include <fmt/format.h>

#include "checks/runner.h"
#include "cli/captive_source.h"
#include "cli/compare_command.h"
#include "cli/default_reference.h"
#include "cli/options.h"
#include "cli/output_format.h"
#include "cli/parse_args.h"
#include "cli/policy_source.h"
#include "cli/probe_command.h"
#include "cli/route.h"
#include "cli/snapshot_command.h"
#include "cli/target.h"
#include "cli/target_spec.h"
#include "cli/terminal.h"
#include "cli/time_sources.h"
#include "cli/version.h"
#include "core/atomic_file.h"
#include "diagnosis/verdict.h"
#include "platform/system_info.h"
#include "reference/protocol/key_files.h"
#include "reference/protocol/snapshot.h"
#include "report/redaction.h"
#include "report/text_renderer.h"

namespace tlsdoctor::cli {
namespace {

using report::ExitCode;

int code(ExitCode c) { return static_cast<int>(c); }

std::string random_run_id() {
  std::random_device rd;
  std::uniform_int_distribution<unsigned> nibble(0, 15);
  std::string id;
  for (int i = 0; i < 16; ++i) id.push_back("0123456789abcdef"[nibble(rd)]);
  return id;
}

bool named(const std::vector<std::string>& ids, std::string_view id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

// A check the policy's skip_checks turns off, unless --only asks for it by name.
bool skipped_by_policy(const Options& opts, std::string_view id) {
  return named(opts.policy.skip_checks, id) && !named(opts.only, id);
}

std::vector<const checks::Check*> select_checks(
    const std::vector<std::unique_ptr<checks::Check>>& all, const Options& opts) {
  std::vector<const checks::Check*> selected;
  for (const auto& c : all) {
    if ((opts.only.empty() || named(opts.only, c->id())) && !skipped_by_policy(opts, c->id())) {
      selected.push_back(c.get());
    }
  }
  return selected;
}

// The results in the registry's order, a policy-skipped check listed as skipped where it would run.
std::vector<CheckResult> with_policy_skips(const std::vector<std::unique_ptr<checks::Check>>& all, const Options& opts,
                                           std::vector<CheckResult> ran) {
  std::vector<CheckResult> out;
  auto next = ran.begin();
  for (const auto& c : all) {
    if (opts.only.empty() && skipped_by_policy(opts, c->id())) {
      CheckResult skipped;
      skipped.id = std::string(c->id());
      skipped.title = std::string(c->title());
      skipped.status = CheckStatus::Skip;
      skipped.summary = "skipped: the policy turns it off";
      skipped.error = "skip_checks in " + opts.policy.source;
      out.push_back(std::move(skipped));
    } else if (next != ran.end() && next->id == c->id()) {
      out.push_back(std::move(*next++));
    }
  }
  return out;
}

nlohmann::ordered_json options_json(const Options& opts) {
  return {{"format", std::string(to_string(opts.format))},
          {"only", opts.only},
          {"timeout_ms", opts.timeout.count()},
          {"verbose", opts.verbose},
          {"offline", opts.offline},
          {"redact", !opts.no_redact},
          {"policy", opts.policy.source.empty() ? nlohmann::ordered_json(nullptr)
                                                : nlohmann::ordered_json(opts.policy.source)}};
}

// The live reference as the checks use it (--reference, else the build's default; none
// offline): its pinned keys and the route this run's requests take.
std::optional<refclient::ReferenceTarget> reference_target(const Options& opts, const platform::Env& env) {
  if (opts.offline) return std::nullopt;
  const auto choice = choose_reference(opts, build_default_reference());
  if (!choice) return std::nullopt;
  auto keys = reference::load_key_set(choice->key);
  // The flags' key was checked by parse_args; a build default that does not parse is a
  // packaging mistake, and the run goes on without a live reference rather than trusting it.
  if (!keys) return std::nullopt;
  return refclient::ReferenceTarget{choice->url, std::move(*keys), route_for(opts, env, choice->url), opts.resolve};
}

// --reference-file as the checks use it (parse_args checked that it loads), with the --resolve
// addresses of each recorded target.
std::optional<refclient::SnapshotReference> snapshot_reference(const Options& opts) {
  if (!opts.reference_file) return std::nullopt;
  auto loaded = reference::load_snapshot(*opts.reference_file);
  if (!loaded) return std::nullopt;
  refclient::SnapshotReference out{*opts.reference_file, std::move(*loaded), {}};
  for (const auto& observation : out.snapshot.observations) {
    out.addresses.push_back(resolved_addresses(opts.resolve, observation.target.host, observation.target.port));
  }
  return out;
}

// The default handshake to each target the user named, or the first target's problem in words.
tl::expected<std::vector<tls::ProbeSpec>, std::string> target_specs(const Options& opts, const platform::Env& env) {
  std::vector<tls::ProbeSpec> specs;
  for (const auto& text : opts.targets) {
    std::string why;
    auto spec = target_spec(text, {opts.ca_file, opts.proxy, opts.no_proxy, opts.resolve}, env, why);
    if (!spec) return tl::unexpected("target '" + text + "': " + spec.error());
    specs.push_back(std::move(*spec));
  }
  return specs;
}

// A line on stderr per check as it finishes, when stderr is a terminal and --quiet is not given:
// a run that takes seconds should show it is working. Nothing otherwise (scripts, MDM, pipes).
checks::CheckDone progress_printer(const Options& opts, const platform::Env& env) {
  if (opts.quiet || ::isatty(STDERR_FILENO) != 1) return {};
  const bool unicode = use_unicode(env);
  return [unicode](const CheckResult& r) {
    std::string_view mark;
    switch (r.status) {
      case CheckStatus::Pass: mark = unicode ? "✓" : "ok"; break;
      case CheckStatus::Warn: mark = unicode ? "!" : "!!"; break;
      case CheckStatus::Fail: mark = unicode ? "✗" : "XX"; break;
      case CheckStatus::Skip: mark = "-"; break;
      case CheckStatus::Error: mark = "?"; break;
    }
    std::cerr << fmt::format("  {} {} ({} ms)\n", mark, r.title, r.duration.count()) << std::flush;
  };
}

report::Report build_report(const Options& opts, const platform::Env& env,
                            const std::vector<std::unique_ptr<checks::Check>>& all,
                            std::vector<tls::ProbeSpec> targets) {
  report::Report rep;
  const BuildInfo build = build_info();
  rep.tool.version = std::string(build.version);
  rep.run.id = random_run_id();
  rep.run.start = std::chrono::system_clock::now();
  rep.run.options = options_json(opts);

  const auto steady_start = std::chrono::steady_clock::now();
  checks::Context ctx{env,
                      build,
                      Deadline::after(opts.timeout),
                      reference_target(opts, env),
                      snapshot_reference(opts),
                      date_sources(opts, env),
                      date_fetch_options(opts)};
  if (auto captive = captive_source(opts, env, ctx.reference ? std::optional(ctx.reference->url) : std::nullopt)) {
    ctx.captive_url = std::move(captive->url);
    ctx.captive_proxy = std::move(captive->proxy);
  }
  ctx.targets = std::move(targets);
  ctx.policy = opts.policy;
  if (ctx.snapshot) rep.reference.source = "snapshot";
  rep.checks =
      with_policy_skips(all, opts, checks::run_checks(select_checks(all, opts), ctx, progress_printer(opts, env)));
  // The targets' handshakes belong in the report's probes, not twice in the check's facts.
  for (auto& result : rep.checks) {
    if (result.id != "target" || !result.facts.contains("probes")) continue;
    rep.probes = std::move(result.facts["probes"]);
    result.facts.erase("probes");
  }
  for (const auto& result : rep.checks) {
    const auto exchange = result.facts.find("exchange");
    if (result.id != "interception" || exchange == result.facts.end()) continue;
    rep.reference.source = "live";
    const auto& key_id = (*exchange)["key_id"];
    rep.reference.key_id = key_id.is_string() ? key_id.get<std::string>() : "";
    rep.reference.signature = key_id.is_string() ? "valid" : ((*exchange)["refused"].is_null() ? "absent" : "invalid");
  }
  rep.run.duration = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - steady_start);

  const auto sys = platform::system_info(env);
  rep.system = {sys.os_name, sys.os_version, sys.architecture, sys.kernel_release, sys.host_name,
                sys.user_name};
  rep.verdict = diagnosis::diagnose(rep.checks);
  rep.redacted = false;
  if (!opts.no_redact) {
    const auto home = env.home();
    report::redact(rep, {sys.user_name, sys.host_name, home ? home->string() : std::string()});
  }
  return rep;
}

// The policy's report copy (for MDM collection), written whatever -o and -f say.
int write_policy_copy(const Options& opts, const report::Report& rep) {
  if (!opts.policy.report) return 0;
  const auto& copy = *opts.policy.report;
  const std::string bytes =
      render_report(rep, format_from_string(copy.format).value_or(Format::Json), report::TextOptions{});
  if (auto written = write_file_atomically(copy.path, bytes); !written) {
    std::cerr << fmt::format("tlsdoctor: error: the policy's report copy ({}): {}: {}\n", opts.policy.source,
                             written.error().input, written.error().message);
    return code(ExitCode::UsageError);
  }
  return 0;
}

int emit(const Options& opts, const std::string& bytes) {
  if (opts.output) {
    if (auto written = write_file_atomically(*opts.output, bytes); !written) {
      std::cerr << fmt::format("tlsdoctor: error: {}: {}\n", written.error().input,
                               written.error().message);
      return code(ExitCode::UsageError);
    }
    if (!opts.quiet) std::cerr << fmt::format("tlsdoctor: report written to {}\n", *opts.output);
    return 0;
  }
  std::cout << bytes << std::flush;
  return 0;
}

}  // namespace

int run(int argc, const char* const* argv) {
  const auto all = checks::all_checks();
  std::vector<std::string_view> ids;
  for (const auto& c : all) ids.push_back(c->id());

  auto parsed = parse_args(argc, argv, ids);
  if (!parsed) {
    std::cerr << fmt::format("tlsdoctor: error: {}\nRun 'tlsdoctor --help' for usage.\n",
                             parsed.error().message);
    return code(ExitCode::UsageError);
  }
  Options& opts = *parsed;
  switch (opts.command) {
    case Command::Help: std::cout << opts.help_text; return 0;
    case Command::Version: std::cout << version_text(); return 0;
    case Command::ListChecks:
      for (const auto& c : all) std::cout << fmt::format("{:<16}{}\n", c->id(), c->title());
      return 0;
    case Command::Probe: return run_probe_command(opts, platform::Env::from_process());
    case Command::Snapshot: return run_snapshot_command(opts, platform::Env::from_process());
    case Command::Compare: return run_compare_command(opts);
    case Command::Check: break;
  }

  const platform::Env env = platform::Env::from_process();
  if (auto applied = apply_policy(opts, env, ids); !applied) {
    std::cerr << fmt::format("tlsdoctor: error: policy {}: {}\n", applied.error().input, applied.error().message);
    return code(ExitCode::UsageError);
  }
  auto targets = target_specs(opts, env);
  if (!targets) {
    std::cerr << fmt::format("tlsdoctor: error: {}\n", targets.error());
    return code(ExitCode::UsageError);
  }
  const report::Report rep = build_report(opts, env, all, std::move(*targets));

  report::TextOptions text;
  text.color = !opts.output && use_color(env, STDOUT_FILENO, opts.no_color);
  text.unicode = use_unicode(env);
  text.verbose = opts.verbose;
  text.quiet = opts.quiet;
  if (const int rc = emit(opts, render_report(rep, opts.format, text)); rc != 0) return rc;
  if (const int rc = write_policy_copy(opts, rep); rc != 0) return rc;
  return code(report::exit_code_for(rep));
}

}  // namespace tlsdoctor::cli
