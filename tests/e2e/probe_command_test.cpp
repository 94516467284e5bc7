// `tlsdoctor probe` run as a user runs it, against the lab's scenario servers: output, JSON schema, exit codes, bad input.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "lab/report_schema.h"
#include "lab/scenario_server.h"
#include "lab/subprocess.h"
#include "lab/temp_tree.h"

using namespace tlsdoctor;
using namespace tlsdoctor::lab;
using nlohmann::json;

namespace {

struct ProbeLab {
  std::unique_ptr<ScenarioServer> server;
  TempTree dir;
  std::string ca_file;
};

ProbeLab start(Behaviour behaviour) {
  ScenarioOptions options;
  options.behaviour = behaviour;
  auto server = ScenarioServer::start(options);
  REQUIRE(server);
  auto dir = TempTree::create("tlsdoctor-e2e-probe-");
  REQUIRE(dir);
  const auto ca = dir->path() / "lab-root.pem";
  REQUIRE(write_pem_bundle(ca, {&lab_pki().root}));
  return ProbeLab{std::move(*server), std::move(*dir), ca.string()};
}

std::vector<std::string> probe_args(const ProbeLab& lab, std::vector<std::string> extra) {
  const std::string target = std::string(kLabHostName) + ":" + std::to_string(lab.server->port());
  std::vector<std::string> args{tlsdoctor_binary(), "probe", target, "--resolve",
                                target + ":" + lab.server->address(), "--ca-file", lab.ca_file, "--no-proxy",
                                "--timeout", "10"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

json parse_probes(const ProcessResult& r) {
  INFO("stdout: " << r.out << "\nstderr: " << r.err);
  REQUIRE_FALSE(r.timed_out);
  json doc;
  REQUIRE_NOTHROW(doc = json::parse(r.out));
  const auto violations = probe_output_violations(doc);
  for (const auto& v : violations) UNSCOPED_INFO(v);
  CHECK(violations.empty());
  return doc;
}

}  // namespace

TEST_CASE("probe of a good server: exit 0, text names the outcome, chain and ClientHello", "[e2e][probe]") {
  const auto lab = start(Behaviour::Good);
  const auto r = run_process(probe_args(lab, {"--no-color"}));
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("handshake completed and the chain verified"));
  CHECK_THAT(r.out, Catch::Contains("Certificate chain as sent (2 certificates)"));
  CHECK_THAT(r.out, Catch::Contains("ClientHello sent"));
  CHECK_THAT(r.out, Catch::Contains("JA4"));
  CHECK_THAT(r.out, Catch::Contains("Route: direct (--no-proxy)"));
}

TEST_CASE("probe -f json of a good server with --all-versions: schema-valid, one probe per version", "[e2e][probe]") {
  const auto lab = start(Behaviour::Good);
  const auto r = run_process(probe_args(lab, {"-f", "json", "--all-versions"}));
  CHECK(r.exit_code == 0);
  const json doc = parse_probes(r);
  REQUIRE(doc["probes"].size() == 5);
  CHECK(doc["probes"][0]["failure"].is_null());
  CHECK(doc["probes"][0]["spec"]["sni"] == kLabHostName);
  CHECK(doc["probes"][0]["client_hello"]["sni"] == kLabHostName);
  CHECK(doc["probes"][0]["chain"].size() == 2);
  CHECK(doc["probes"][0]["verify"]["ok"] == true);
  CHECK(doc["probes"][4]["label"] == "tls1.3");
  CHECK(doc["probes"][4]["server_hello"]["version"] == "TLS 1.3");
}

TEST_CASE("probe of an expired server: exit 1 and cert_expired", "[e2e][probe]") {
  const auto lab = start(Behaviour::Expired);
  const auto r = run_process(probe_args(lab, {"-f", "json"}));
  CHECK(r.exit_code == 1);
  const json doc = parse_probes(r);
  CHECK(doc["probes"][0]["failure"] == "cert_expired");
  CHECK(doc["probes"][0]["completed"] == true);
}

TEST_CASE("probe without SNI of a server that needs it: tls_alert_unrecognized_name", "[e2e][probe]") {
  const auto lab = start(Behaviour::SniRequired);
  const auto r = run_process(probe_args(lab, {"-f", "json", "--no-sni"}));
  CHECK(r.exit_code == 1);
  const json doc = parse_probes(r);
  CHECK(doc["probes"][0]["failure"] == "tls_alert_unrecognized_name");
  CHECK(doc["probes"][0]["client_hello"]["sni"].is_null());
}

TEST_CASE("probe through a proxy address that does not answer: proxy_unreachable, no credentials shown", "[e2e][probe]") {
  const auto lab = start(Behaviour::Good);
  auto args = probe_args(lab, {"-f", "json"});
  args.erase(std::find(args.begin(), args.end(), "--no-proxy"));
  // Port 1 on loopback: nothing listens there, so the connection is refused at once.
  ProcessOptions options;
  options.env = {{"https_proxy", "http://alice:s3cret@127.0.0.1:1"}, {"HTTPS_PROXY", std::nullopt},
                 {"no_proxy", std::nullopt}, {"NO_PROXY", std::nullopt}};
  const auto r = run_process(args, options);
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("s3cret") == std::string::npos);
  const json doc = parse_probes(r);
  CHECK(doc["probes"][0]["failure"] == "proxy_unreachable");
  CHECK(doc["probes"][0]["spec"]["proxy"] == "http://***@127.0.0.1:1");
}

TEST_CASE("probe's bad input exits 2 and names it", "[e2e][probe]") {
  const auto missing_ca = run_process({tlsdoctor_binary(), "probe", "lab.tlsdoctor.test", "--ca-file", "/nonexistent/ca.pem"});
  CHECK(missing_ca.exit_code == 2);
  CHECK_THAT(missing_ca.err, Catch::Contains("/nonexistent/ca.pem"));
  const auto bad_port = run_process({tlsdoctor_binary(), "probe", "lab.tlsdoctor.test:0"});
  CHECK(bad_port.exit_code == 2);
  CHECK_THAT(bad_port.err, Catch::Contains("lab.tlsdoctor.test:0"));
  const auto socks = run_process({tlsdoctor_binary(), "probe", "lab.tlsdoctor.test", "--proxy", "socks5://127.0.0.1:1080"});
  CHECK(socks.exit_code == 2);
  CHECK_THAT(socks.err, Catch::Contains("socks5"));
}
