// Takes a snapshot: the reference's own observation code run here, labelled with this machine and time.
#include "cli/snapshot_command.h"

#include <filesystem>
#include <fstream>
#include <iostream>

#include <fmt/format.h>

#include "cli/target.h"
#include "core/build_info.h"
#include "core/atomic_file.h"
#include "core/deadline.h"
#include "platform/system_info.h"
#include "reference/protocol/canonical_json.h"
#include "reference/protocol/protocol_version.h"
#include "reference/protocol/snapshot.h"
#include "reference/server/observe_target.h"
#include "report/report.h"

namespace tlsdoctor::cli {
namespace {

int fail(report::ExitCode code, const std::string& message) {
  std::cerr << fmt::format("tlsdoctor: error: {}\n", message);
  return static_cast<int>(code);
}

}  // namespace

int run_snapshot_command(const Options& opts, const platform::Env& env) {
  if (!opts.output) return fail(report::ExitCode::UsageError, "snapshot: name the file to write with -o FILE");
  tls::TrustSpec trust;
  if (opts.snapshot.ca_file) {
    const auto& file = *opts.snapshot.ca_file;
    if (!std::ifstream(file)) return fail(report::ExitCode::UsageError, fmt::format("--ca-file '{}': cannot be read", file));
    trust = tls::TrustSpec::from_file(std::filesystem::absolute(file).string());
  }
  const Deadline deadline = Deadline::after(opts.timeout);
  reference::Snapshot snapshot;
  snapshot.taken_unix_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
  snapshot.taken_on = platform::system_info(env).host_name;
  snapshot.tool_version = std::string(build_info().version);
  for (const auto& text : opts.snapshot.targets) {
    auto target = parse_target(text);
    if (!target) return fail(report::ExitCode::UsageError, target.error().message);
    reference::ObserveRequest request{target->host, target->port, std::nullopt};
    auto observation =
        reference::observe_now(request, resolved_addresses(opts.resolve, target->host, target->port), trust, deadline);
    observation.envelope = reference::Envelope{std::string(reference::kProtocolVersion), "observe", "",
                                               snapshot.taken_unix_ms};
    const auto& first = observation.probes.front();
    if (!opts.quiet) {
      std::cerr << fmt::format("tlsdoctor: {}: {}\n", target->display(),
                               first["failure"].is_null() ? std::string("handshake completed")
                                                          : "recorded as failed: " + first["failure"].get<std::string>());
    }
    snapshot.observations.push_back(std::move(observation));
  }
  auto bytes = reference::canonical_json(reference::to_json(snapshot));
  if (!bytes) return fail(report::ExitCode::CouldNotRun, bytes.error().message);
  if (auto written = write_file_atomically(*opts.output, *bytes + "\n"); !written) {
    return fail(report::ExitCode::UsageError, fmt::format("{}: {}", written.error().input, written.error().message));
  }
  if (!opts.quiet) {
    std::cerr << fmt::format("tlsdoctor: snapshot of {} target(s) written to {}\n", snapshot.observations.size(),
                             *opts.output);
  }
  return 0;
}

}  // namespace tlsdoctor::cli
