// Snapshot files: written and read back unchanged; every malformed part refused with the field named.
#include <catch2/catch.hpp>

#include <fstream>

#include "lab/temp_tree.h"
#include "reference/protocol/canonical_json.h"
#include "reference/protocol/protocol_version.h"
#include "reference/protocol/snapshot.h"

using namespace tlsdoctor;
using namespace tlsdoctor::reference;

namespace {

Snapshot sample() {
  ObserveAnswer observation;
  observation.envelope = Envelope{std::string(kProtocolVersion), "observe", "", 1790000000000};
  observation.target = ObserveRequest{"example.org", 443, std::nullopt};
  observation.addresses = {"192.0.2.10", "2001:db8::10"};
  observation.dialed = "192.0.2.10";
  observation.probes.push_back({{"label", "default"}, {"completed", true}, {"chain", nlohmann::json::array()}});
  return Snapshot{1790000000000, "known-good", "0.4.0", {observation}};
}

std::string write(const lab::TempTree& dir, const std::string& name, const std::string& text) {
  const auto path = (dir.path() / name).string();
  std::ofstream(path) << text;
  return path;
}

}  // namespace

TEST_CASE("a snapshot survives a round trip through its file", "[snapshot]") {
  const auto dir = lab::TempTree::create("tlsdoctor-snapshot-").value();
  const auto path = write(dir, "good.json", canonical_json(to_json(sample())).value());
  const auto loaded = load_snapshot(path);
  REQUIRE(loaded);
  CHECK(loaded->taken_on == "known-good");
  CHECK(loaded->taken_unix_ms == 1790000000000);
  REQUIRE(loaded->observations.size() == 1);
  CHECK(loaded->observations[0].target.host == "example.org");
  CHECK(loaded->observations[0].dialed == "192.0.2.10");
  CHECK(loaded->observations[0].probes[0]["label"] == "default");
}

TEST_CASE("malformed snapshots are refused, naming the file and the field", "[snapshot]") {
  const auto dir = lab::TempTree::create("tlsdoctor-snapshot-").value();
  auto json = to_json(sample());

  const auto missing = load_snapshot((dir.path() / "absent.json").string());
  REQUIRE_FALSE(missing);
  CHECK_THAT(missing.error().input, Catch::EndsWith("absent.json"));

  const auto not_json = load_snapshot(write(dir, "text.json", "this is not JSON"));
  REQUIRE_FALSE(not_json);

  auto wrong_schema = json;
  wrong_schema["schema"] = "tlsdoctor.report/1";
  const auto schema = snapshot_from_json(wrong_schema);
  REQUIRE_FALSE(schema);
  CHECK_THAT(schema.error().message, Catch::Contains("tlsdoctor.snapshot/1"));

  auto no_observations = json;
  no_observations["observations"] = nlohmann::json::array();
  CHECK_FALSE(snapshot_from_json(no_observations));

  auto bad_observation = json;
  bad_observation["observations"][0]["target"]["port"] = "https";
  const auto observation = snapshot_from_json(bad_observation);
  REQUIRE_FALSE(observation);
  CHECK_THAT(observation.error().message, Catch::Contains("observations[0]"));

  auto truncated = canonical_json(json).value();
  truncated.resize(truncated.size() / 2);
  const auto cut = load_snapshot(write(dir, "cut.json", truncated));
  REQUIRE_FALSE(cut);
  CHECK_THAT(cut.error().input, Catch::EndsWith("cut.json"));

  auto missing_field = json;
  missing_field.erase("taken_on");
  const auto field = snapshot_from_json(missing_field);
  REQUIRE_FALSE(field);
  CHECK_THAT(field.error().message, Catch::Contains("taken_on"));
}
