// The built tlsdoctor with targets on its command line: lab sites judged end to end, exit codes and bad input.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "e2e/report_check.h"
#include "lab/scenario_server.h"
#include "lab/subprocess.h"
#include "lab/temp_tree.h"
#include "pki/certificate.h"

using namespace tlsdoctor;
using nlohmann::json;

namespace {

struct LabSite {
  lab::TempTree dir = lab::TempTree::create("tlsdoctor-e2e-target-").value();
  std::unique_ptr<lab::ScenarioServer> server;
  std::string ca_file;

  explicit LabSite(lab::Behaviour behaviour) {
    lab::ScenarioOptions options;
    options.behaviour = behaviour;
    server = lab::ScenarioServer::start(options).value();
    ca_file = (dir.path() / "root.pem").string();
    REQUIRE(lab::write_pem_bundle(ca_file, {&lab::lab_pki().root}));
  }

  std::string url() const { return "https://" + std::string(lab::kLabHostName) + ":" + std::to_string(server->port()); }

  std::vector<std::string> args(std::vector<std::string> extra) const {
    std::vector<std::string> out{lab::tlsdoctor_binary(), "--offline", "--only", "target", url(),
                                 "--resolve", std::string(lab::kLabHostName) + ":" + std::to_string(server->port()) + ":127.0.0.1",
                                 "--ca-file", ca_file};
    out.insert(out.end(), extra.begin(), extra.end());
    return out;
  }
};

}  // namespace

TEST_CASE("a target with an expired certificate: the server's fault, exit 1, its handshake in probes") {
  const LabSite site(lab::Behaviour::Expired);
  const auto r = lab::run_process(site.args({"-f", "json"}));
  const auto doc = test::schema_valid_report(r);
  CHECK(r.exit_code == 1);
  CHECK(doc["verdict"]["layer"] == "server");
  CHECK(doc["verdict"]["cause"] == "server.cert_expired");
  REQUIRE(doc["probes"].size() == 1);
  CHECK(doc["probes"][0]["failure"] == "cert_expired");
  CHECK_FALSE(doc["checks"][0]["facts"].contains("probes"));
}

TEST_CASE("a healthy target: exit 0, and the text ends with the verdict") {
  const LabSite site(lab::Behaviour::Good);
  const auto r = lab::run_process(site.args({}));
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("1 of 1 target(s) complete a verified handshake") != std::string::npos);
  CHECK(r.out.find("Verdict:") != std::string::npos);
}

TEST_CASE("targets: bad input is exit 2 naming the input, nothing probed") {
  const auto scheme = lab::run_process({lab::tlsdoctor_binary(), "--offline", "ftp://example.test"});
  CHECK(scheme.exit_code == 2);
  CHECK(scheme.err.find("ftp://example.test") != std::string::npos);
  const auto port = lab::run_process({lab::tlsdoctor_binary(), "--offline", "example.test:99999"});
  CHECK(port.exit_code == 2);
  const auto socks =
      lab::run_process({lab::tlsdoctor_binary(), "--offline", "example.test", "--proxy", "socks5://127.0.0.1:1080"});
  CHECK(socks.exit_code == 2);
  CHECK(socks.err.find("target 'example.test'") != std::string::npos);
}

TEST_CASE("a policy's target and expected inspection: an untrusted inspection root is this machine's, and the "
          "report copy is written") {
  const LabSite site(lab::Behaviour::UntrustedRoot);
  const auto policy = site.dir.path() / "policy.json";
  const auto copy = site.dir.path() / "collected" / "report.json";
  std::filesystem::create_directories(copy.parent_path());
  std::ofstream(policy) << json{{"schema", "tlsdoctor.policy/1"},
                                {"targets", {site.url()}},
                                {"skip_checks", {"clock"}},
                                {"expected_inspection",
                                 {{{"name", "Contoso gateway"}, {"spki_sha256", {pki::parse_certificate(site.server->served_chain().at(1))->spki_sha256}}}}},
                                {"report", {{"path", copy.string()}, {"format", "json"}}}}
                               .dump();
  const auto r = lab::run_process({lab::tlsdoctor_binary(), "--offline", "--only", "target", "--policy", policy.string(),
                                   "--resolve", std::string(lab::kLabHostName) + ":" + std::to_string(site.server->port()) + ":127.0.0.1",
                                   "-f", "json"});
  const auto doc = test::schema_valid_report(r);
  CHECK(r.exit_code == 1);
  CHECK(doc["verdict"]["layer"] == "local");
  CHECK(doc["verdict"]["cause"] == "trust.root_missing");
  CHECK(doc["run"]["options"]["policy"] == policy.string());
  std::ifstream in(copy);
  REQUIRE(in);
  const auto copied = json::parse(in);
  CHECK(copied["verdict"] == doc["verdict"]);
}

TEST_CASE("a policy that cannot be followed: exit 2 naming the file and field, no report written") {
  const lab::TempTree dir = lab::TempTree::create("tlsdoctor-e2e-policy-").value();
  const auto policy = dir.path() / "policy.json";
  const auto out = dir.path() / "report.json";
  std::ofstream(policy) << R"({"clock": {"tolerance_seconds": "five minutes"}})";
  const auto r = lab::run_process({lab::tlsdoctor_binary(), "--offline", "--policy", policy.string(), "-o", out.string()});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find(policy.string()) != std::string::npos);
  CHECK(r.err.find("clock.tolerance_seconds") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(out));
}
