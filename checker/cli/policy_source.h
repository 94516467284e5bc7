// Which policy file a run follows, and how it folds into the command line's options.
#pragma once

#include <filesystem>
#include <optional>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "cli/options.h"
#include "core/error.h"
#include "platform/env.h"

namespace tlsdoctor::cli {

// --policy FILE; else policy::kDefaultPolicyPath (under env's sysroot) when that file exists;
// nullopt with --no-policy or when there is no default file.
std::optional<std::filesystem::path> policy_path(const Options& opts, const platform::Env& env);

// Loads the policy that applies (if any) into opts.policy and fills what the command line left
// unset: the reference (unless a snapshot or --offline is used), targets, time sources and the
// captive-portal page. skip_checks, the clock tolerance, expected inspection and the report copy
// come from the policy alone. Errors name the file and the field ("targets[2]: ..."): a policy
// that cannot be followed stops the run (exit code 2), it is never half applied.
tl::expected<void, Error> apply_policy(Options& opts, const platform::Env& env,
                                       const std::vector<std::string_view>& known_checks);

}  // namespace tlsdoctor::cli
