// Snapshot files: the observation messages of the protocol, labelled with where and when they were taken.
#include "reference/protocol/snapshot.h"

#include <limits>

#include "core/bounded_file.h"
#include "reference/protocol/canonical_json.h"
#include "reference/protocol/json_fields.h"

namespace tlsdoctor::reference {

nlohmann::json to_json(const Snapshot& snapshot) {
  nlohmann::json observations = nlohmann::json::array();
  for (const auto& observation : snapshot.observations) observations.push_back(to_json(observation));
  return {{"schema", kSnapshotSchema},
          {"taken_unix_ms", snapshot.taken_unix_ms},
          {"taken_on", snapshot.taken_on},
          {"tool_version", snapshot.tool_version},
          {"observations", std::move(observations)}};
}

tl::expected<Snapshot, Error> snapshot_from_json(const nlohmann::json& value) {
  if (!value.is_object()) return tl::unexpected(Error{"snapshot", "not a JSON object"});
  JsonFields fields(value, "snapshot");
  const std::string schema = fields.text("schema");
  Snapshot out;
  out.taken_unix_ms = fields.integer("taken_unix_ms", 0, std::numeric_limits<std::int64_t>::max());
  out.taken_on = fields.text("taken_on");
  out.tool_version = fields.text("tool_version");
  const auto& observations = fields.array("observations");
  if (auto error = fields.error()) return tl::unexpected(*error);
  if (schema != kSnapshotSchema) {
    return tl::unexpected(Error{"snapshot", "schema \"" + schema.substr(0, 40) + "\", this tlsdoctor reads " +
                                                std::string(kSnapshotSchema)});
  }
  if (observations.empty()) return tl::unexpected(Error{"snapshot", "observations: none recorded"});
  if (observations.size() > kMaxSnapshotTargets) {
    return tl::unexpected(Error{"snapshot", "observations: more than " + std::to_string(kMaxSnapshotTargets)});
  }
  for (std::size_t i = 0; i < observations.size(); ++i) {
    auto observation = observe_answer_from_json(observations[i]);
    if (!observation) {
      return tl::unexpected(Error{"snapshot", "observations[" + std::to_string(i) + "]: " +
                                                  observation.error().message});
    }
    out.observations.push_back(std::move(*observation));
  }
  return out;
}

tl::expected<Snapshot, Error> load_snapshot(const std::string& path) {
  const auto text = read_bounded_file(path, kMaxSnapshotBytes, "a snapshot");
  if (!text) return tl::unexpected(text.error());
  auto parsed = parse_json(*text, kMaxSnapshotBytes, path);
  if (!parsed) return tl::unexpected(parsed.error());
  auto snapshot = snapshot_from_json(*parsed);
  if (!snapshot) return tl::unexpected(Error{path, snapshot.error().message});
  return snapshot;
}

}  // namespace tlsdoctor::reference
