// `tlsdoctor snapshot` and `--reference-file` run as support would: record a target, compare a later run with it, refuse bad files.
#include <catch2/catch.hpp>

#include <fstream>

#include <nlohmann/json.hpp>

#include "lab/report_schema.h"
#include "lab/scenario_server.h"
#include "lab/subprocess.h"
#include "lab/temp_tree.h"

using namespace tlsdoctor;
using namespace tlsdoctor::lab;
using nlohmann::json;

namespace {

struct SnapshotLab {
  std::unique_ptr<ScenarioServer> server;
  TempTree dir = TempTree::create("tlsdoctor-e2e-snapshot-").value();
  std::string target;
  std::string resolve;
  std::string ca_file;
};

SnapshotLab start() {
  SnapshotLab lab;
  auto server = ScenarioServer::start(ScenarioOptions{});
  REQUIRE(server);
  lab.server = std::move(*server);
  lab.target = std::string(kLabHostName) + ":" + std::to_string(lab.server->port());
  lab.resolve = lab.target + ":" + lab.server->address();
  lab.ca_file = (lab.dir.path() / "lab-root.pem").string();
  REQUIRE(write_pem_bundle(lab.ca_file, {&lab_pki().root}));
  return lab;
}

}  // namespace

TEST_CASE("a snapshot of a lab target, then a run compared with it", "[e2e][snapshot]") {
  const auto lab = start();
  const auto file = (lab.dir.path() / "known-good.json").string();
  const auto taken = run_process({tlsdoctor_binary(), "snapshot", lab.target, "--resolve", lab.resolve, "--ca-file",
                                  lab.ca_file, "-o", file, "--timeout", "10"});
  INFO(taken.out << taken.err);
  REQUIRE(taken.exit_code == 0);
  CHECK_THAT(taken.err, Catch::Contains("snapshot of 1 target(s) written to"));
  json snapshot;
  REQUIRE_NOTHROW(snapshot = json::parse(std::ifstream(file)));
  CHECK(snapshot["schema"] == "tlsdoctor.snapshot/1");
  CHECK_FALSE(snapshot["taken_on"].get<std::string>().empty());
  const auto& probes = snapshot["observations"][0]["probes"];
  REQUIRE(probes.size() == 5);
  CHECK(probes[0]["label"] == "default");
  CHECK(probes[0]["completed"] == true);
  CHECK(probes[0]["verify"]["ok"] == true);  // --ca-file anchors the lab chain

  const auto run = run_process({tlsdoctor_binary(), "--reference-file", file, "--resolve", lab.resolve, "--only",
                                "interception", "-f", "json", "--timeout", "10"});
  INFO(run.out << run.err);
  json report;
  REQUIRE_NOTHROW(report = json::parse(run.out));
  for (const auto& v : report_schema_violations(report)) UNSCOPED_INFO(v);
  CHECK(report_schema_violations(report).empty());
  CHECK(report["reference"]["source"] == "snapshot");
  const auto& check = report["checks"][0];
  CHECK(check["id"] == "interception");
  CHECK(check["status"] == "pass");
  CHECK(check["facts"]["snapshot"]["targets"][0]["leaf_matches"] == true);
  CHECK(run.exit_code == 0);
}

TEST_CASE("bad snapshot input: exit 2 with the file named, nothing written", "[e2e][snapshot]") {
  const auto lab = start();
  const auto missing = run_process({tlsdoctor_binary(), "--reference-file", "/nonexistent/snap.json"});
  CHECK(missing.exit_code == 2);
  CHECK_THAT(missing.err, Catch::Contains("/nonexistent/snap.json"));

  const auto garbage = (lab.dir.path() / "garbage.json").string();
  std::ofstream(garbage) << "{\"schema\": \"tlsdoctor.snapshot/1\", \"observations\": [";
  const auto truncated = run_process({tlsdoctor_binary(), "--reference-file", garbage});
  CHECK(truncated.exit_code == 2);
  CHECK_THAT(truncated.err, Catch::Contains("garbage.json"));

  const auto no_output = run_process({tlsdoctor_binary(), "snapshot", lab.target});
  CHECK(no_output.exit_code == 2);
  CHECK_THAT(no_output.err, Catch::Contains("-o FILE"));

  const auto bad_target = run_process({tlsdoctor_binary(), "snapshot", "ftp://x", "-o", "/tmp/unused.json"});
  CHECK(bad_target.exit_code == 2);

  const auto unwritable = run_process({tlsdoctor_binary(), "snapshot", lab.target, "--resolve", lab.resolve,
                                       "-o", "/nonexistent/dir/snap.json", "--timeout", "5"});
  CHECK(unwritable.exit_code == 2);
  CHECK_THAT(unwritable.err, Catch::Contains("/nonexistent/dir/snap.json"));
}
