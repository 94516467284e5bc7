// A snapshot: reference observations recorded on a known-good machine (`tlsdoctor snapshot`), read back by --reference-file.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <tl/expected.hpp>

#include "core/error.h"
#include "reference/protocol/messages.h"

namespace tlsdoctor::reference {

inline constexpr std::string_view kSnapshotSchema = "tlsdoctor.snapshot/1";
// A snapshot file larger than this is not one (an observation is at most kMaxAnswerBytes,
// and a snapshot records a handful of targets).
inline constexpr std::size_t kMaxSnapshotBytes = 16 * 1024 * 1024;
inline constexpr std::size_t kMaxSnapshotTargets = 64;

// Unsigned on purpose: whoever passes --reference-file vouches for it (it came from their own
// known-good machine or from support); reports say "snapshot", never "live".
struct Snapshot {
  std::int64_t taken_unix_ms = 0;
  std::string taken_on;      // the host name of the machine it was taken on
  std::string tool_version;  // the tlsdoctor that took it
  std::vector<ObserveAnswer> observations;  // one per target, in the order given
};

nlohmann::json to_json(const Snapshot& snapshot);
// Checks the schema string, every field's type and every observation; errors name the field.
tl::expected<Snapshot, Error> snapshot_from_json(const nlohmann::json& value);
// Reads and parses a snapshot file; errors name the file.
tl::expected<Snapshot, Error> load_snapshot(const std::string& path);

}  // namespace tlsdoctor::reference
