// Finds the policy file, validates what only the command line can check, and merges it into the options.
#include "cli/policy_source.h"

#include <algorithm>
#include <system_error>

#include <fmt/format.h>

#include "cli/captive_source.h"
#include "cli/target.h"
#include "policy/policy_file.h"

namespace tlsdoctor::cli {
namespace {

// The fields whose syntax belongs to the command line: targets, time sources, captive page, check ids.
tl::expected<void, std::string> validate(const policy::Policy& p, const std::vector<std::string_view>& known_checks) {
  if (p.targets.size() > kMaxTargets) {
    return tl::unexpected(fmt::format("targets: {} entries; at most {} in one run", p.targets.size(), kMaxTargets));
  }
  for (std::size_t i = 0; i < p.targets.size(); ++i) {
    if (auto t = parse_target(p.targets[i]); !t) return tl::unexpected(fmt::format("targets[{}]: {}", i, t.error().message));
  }
  for (std::size_t i = 0; i < p.time_sources.size(); ++i) {
    if (auto t = parse_target(p.time_sources[i]); !t) {
      return tl::unexpected(fmt::format("clock.time_sources[{}]: {}", i, t.error().message));
    }
  }
  if (p.captive_url) {
    if (auto where = parse_http_url(*p.captive_url); !where) return tl::unexpected("captive_url: " + where.error().message);
  }
  for (std::size_t i = 0; i < p.skip_checks.size(); ++i) {
    if (std::find(known_checks.begin(), known_checks.end(), p.skip_checks[i]) != known_checks.end()) continue;
    std::string known;
    for (const auto k : known_checks) known += (known.empty() ? "" : ", ") + std::string(k);
    return tl::unexpected(fmt::format("skip_checks[{}]: '{}' is not a check (known: {})", i, p.skip_checks[i], known));
  }
  return {};
}

}  // namespace

std::optional<std::filesystem::path> policy_path(const Options& opts, const platform::Env& env) {
  if (opts.no_policy) return std::nullopt;
  if (opts.policy_file) return std::filesystem::path(*opts.policy_file);
  auto path = env.path(policy::kDefaultPolicyPath);
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return std::nullopt;
  return path;
}

tl::expected<void, Error> apply_policy(Options& opts, const platform::Env& env,
                                       const std::vector<std::string_view>& known_checks) {
  const auto path = policy_path(opts, env);
  if (!path) return {};
  // Named as the user knows it: as typed, or the default path without a test's sysroot.
  const std::string source = opts.policy_file ? *opts.policy_file : env.display(*path);
  auto loaded = policy::load_policy(*path);
  if (!loaded) return tl::unexpected(Error{source, loaded.error().message});
  policy::Policy p = std::move(*loaded);
  p.source = source;
  if (auto valid = validate(p, known_checks); !valid) return tl::unexpected(Error{p.source, valid.error()});

  const bool network = !opts.offline;
  if (p.reference && network && !opts.reference_url && !opts.reference_file) {
    opts.reference_url = p.reference->url;
    opts.reference_key = p.reference->key_text;
  }
  if (opts.targets.empty()) opts.targets = p.targets;
  if (network && opts.time_sources.empty()) opts.time_sources = p.time_sources;
  if (network && !opts.captive_url) opts.captive_url = p.captive_url;
  opts.policy = std::move(p);
  return {};
}

}  // namespace tlsdoctor::cli
