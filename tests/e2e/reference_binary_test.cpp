// tlsdoctor-reference run as an operator runs it: keygen's files, serve as a separate process on loopback, SIGTERM.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "lab/background_process.h"
#include "lab/lab_https_client.h"
#include "lab/mitm_proxy.h"
#include "lab/reference_process.h"
#include "lab/scenario_pki.h"
#include "lab/squid_proxy.h"
#include "lab/subprocess.h"
#include "lab/temp_tree.h"

using namespace tlsdoctor;
using namespace tlsdoctor::lab;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// A tlsdoctor-reference process on 127.0.0.1 serving the lab's certificate for kLabHostName.
ReferenceProcess start_reference(const std::vector<std::string>& extra = {}) {
  auto r = start_reference_process({extra, false, 0, "127.0.0.1"});
  INFO((r ? "" : r.error()));
  REQUIRE(r);
  return std::move(*r);
}

json check_json(const ProcessResult& r) {
  INFO("stdout: " << r.out << "\nstderr: " << r.err);
  REQUIRE_FALSE(r.timed_out);
  json doc;
  REQUIRE_NOTHROW(doc = json::parse(r.out));
  return doc;
}

const json* interception_check(const json& report) {
  for (const auto& check : report["checks"]) {
    if (check["id"] == "interception") return &check;
  }
  return nullptr;
}

}  // namespace


TEST_CASE("reference keygen writes a key pair once and refuses to overwrite it", "[reference_binary]") {
  auto dir = TempTree::create("tlsdoctor-e2e-keygen-").value();
  const auto keys = dir.path() / "keys";
  const auto first = run_process({tlsdoctor_reference_binary(), "keygen", "--out", keys.string()});
  INFO(first.out << first.err);
  CHECK(first.exit_code == 0);
  CHECK_THAT(first.out, Catch::Contains("--reference-key ed25519:"));
  CHECK(fs::status(keys / "signing.key").permissions() == (fs::perms::owner_read | fs::perms::owner_write));
  std::ifstream pub(keys / "signing.pub");
  std::string line;
  std::getline(pub, line);
  CHECK(line.rfind("ed25519:", 0) == 0);

  const auto again = run_process({tlsdoctor_reference_binary(), "keygen", "--out", keys.string()});
  CHECK(again.exit_code == 3);
  CHECK_THAT(again.err, Catch::Contains("signing.key"));
  CHECK(run_process({tlsdoctor_reference_binary(), "keygen"}).exit_code == 2);
}

TEST_CASE("reference serve: a separate process answers over TLS and stops cleanly on SIGTERM", "[reference_binary]") {
  auto reference = start_reference();
  const std::string host_port = std::string(kLabHostName) + ":" + std::to_string(reference.port);
  const auto health =
      run_process({"curl", "-sS", "--max-time", "5", "--noproxy", "*", "--cacert", reference.root_pem.string(),
                   "--resolve", host_port + ":127.0.0.1", "https://" + host_port + "/healthz"});
  if (health.exit_code == 127 && !lab_required()) {
    WARN("skipped: curl is not installed");
  } else {
    INFO(health.err);
    CHECK(health.out == "ok\n");
  }
  const auto stopped = reference.process->stop(std::chrono::seconds(8), SIGTERM);
  INFO(stopped.err);
  CHECK(stopped.exit_code == 0);
  CHECK_THAT(stopped.err, Catch::Contains("\"stopped\""));
}

TEST_CASE("reference serve refuses bad input by name", "[reference_binary]") {
  auto dir = TempTree::create("tlsdoctor-e2e-serve-bad-").value();
  const auto keys = dir.path() / "keys";
  REQUIRE(run_process({tlsdoctor_reference_binary(), "keygen", "--out", keys.string()}).exit_code == 0);
  REQUIRE(write_file(dir.path() / "junk.pem", "not a certificate\n"));
  const auto bad_cert = run_process({tlsdoctor_reference_binary(), "serve", "--listen", "127.0.0.1:0", "--cert",
                                     (dir.path() / "junk.pem").string(), "--key", (dir.path() / "junk.pem").string(),
                                     "--signing-key", (keys / "signing.key").string()});
  CHECK(bad_cert.exit_code == 3);
  CHECK_THAT(bad_cert.err, Catch::Contains("certificate"));
  const auto bad_listen = run_process({tlsdoctor_reference_binary(), "serve", "--listen", "nowhere:443", "--cert",
                                       (dir.path() / "junk.pem").string(), "--key", (dir.path() / "junk.pem").string(),
                                       "--signing-key", (keys / "signing.key").string()});
  CHECK(bad_listen.exit_code != 0);
  const auto no_key = run_process({tlsdoctor_reference_binary(), "serve", "--listen", "127.0.0.1:0", "--cert",
                                   (dir.path() / "junk.pem").string(), "--key", (dir.path() / "junk.pem").string(),
                                   "--signing-key", (dir.path() / "absent.key").string()});
  CHECK(no_key.exit_code == 2);
  CHECK_THAT(no_key.err, Catch::Contains("absent.key"));
}

TEST_CASE("tlsdoctor --reference: a direct path passes, through mitmdump it reports the interception", "[reference_binary]") {
  auto reference = start_reference();
  const std::string host_port = std::string(kLabHostName) + ":" + std::to_string(reference.port);
  ProcessOptions no_proxy;
  for (const char* name : {"https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY"}) {
    no_proxy.env[name] = std::nullopt;
  }
  const auto direct = run_process({tlsdoctor_binary(), "--only", "interception", "-f", "json", "--reference",
                                   "https://" + host_port, "--reference-key", reference.public_key.string(),
                                   "--resolve", host_port + ":127.0.0.1"},
                                  no_proxy);
  const auto direct_report = check_json(direct);
  const json* direct_check = interception_check(direct_report);
  REQUIRE(direct_check != nullptr);
  INFO(direct_check->dump());
  CHECK((*direct_check)["status"] == "pass");
  // This machine's stack sent SNI, and the reference received that same name.
  CHECK((*direct_check)["facts"]["sni_sent"] == kLabHostName);
  CHECK((*direct_check)["facts"]["sni_received"] == kLabHostName);
  CHECK(direct_report["reference"]["source"] == "live");
  CHECK(direct_report["reference"]["signature"] == "valid");
  CHECK(direct.exit_code == 0);

  auto proxy = MitmProxy::start();
  if (!proxy && proxy.error() == "mitmdump is not installed") {
    if (lab_required()) FAIL("mitmdump (Debian's mitmproxy) is required by TLSDOCTOR_REQUIRE_LAB");
    WARN("skipped: mitmdump is not installed");
    return;
  }
  INFO((proxy ? "" : proxy.error()));
  REQUIRE(proxy);
  ProcessOptions through = no_proxy;
  through.env["https_proxy"] = (*proxy)->url();
  // The proxy resolves names itself: the reference is addressed by its IP here.
  const auto intercepted = run_process({tlsdoctor_binary(), "--only", "interception", "-f", "json", "--reference",
                                        "https://127.0.0.1:" + std::to_string(reference.port), "--reference-key",
                                        reference.public_key.string()},
                                       through);
  const auto report = check_json(intercepted);
  const json* check = interception_check(report);
  REQUIRE(check != nullptr);
  INFO(check->dump());
  CHECK((*check)["status"] == "fail");
  REQUIRE((*check)["findings"].size() == 1);
  const auto& finding = (*check)["findings"][0];
  CHECK(finding["id"] == "path.interception");
  CHECK_THAT(finding["title"].get<std::string>(), Catch::Contains("mitmproxy"));
  CHECK(finding["evidence"]["chain_matches"] == "no");
  CHECK(finding["evidence"]["client_hello_matches"] == "no");
  CHECK(report["verdict"]["layer"] == "path");
  CHECK(intercepted.exit_code == 1);

  // The same interception declared by a policy: with mitmproxy's root not trusted here, its name
  // proves nothing (mitmdump sends no CA certificate to check a pin against), so it stays
  // interception, naming what it claims; with the root trusted it is expected, and healthy.
  const auto policy = (*proxy)->directory() / "policy.json";
  std::ofstream(policy) << R"({"expected_inspection": [{"name": "Developers' mitmproxy", "issuers": ["mitmproxy"]}]})";
  const std::vector<std::string> with_policy{tlsdoctor_binary(), "--only", "interception", "-f", "json", "--policy",
                                             policy.string(), "--reference",
                                             "https://127.0.0.1:" + std::to_string(reference.port), "--reference-key",
                                             reference.public_key.string()};
  const auto unproven = check_json(run_process(with_policy, through));
  CHECK(unproven["verdict"]["layer"] == "path");
  CHECK(unproven["verdict"]["cause"] == "path.interception");
  const json* unproven_check = interception_check(unproven);
  REQUIRE(unproven_check != nullptr);
  CHECK((*unproven_check)["findings"][0]["evidence"]["claims_to_be"] == "Developers' mitmproxy");
  ProcessOptions trusted = through;
  trusted.env["SSL_CERT_FILE"] = (*proxy)->ca_certificate().string();
  const auto expected_run = run_process(with_policy, trusted);
  const auto expected = check_json(expected_run);
  const json* expected_check = interception_check(expected);
  REQUIRE(expected_check != nullptr);
  INFO(expected_check->dump());
  REQUIRE((*expected_check)["findings"].size() == 1);
  CHECK((*expected_check)["findings"][0]["id"] == "path.interception_expected");
  CHECK((*expected_check)["findings"][0]["severity"] == "info");
  CHECK((*expected_check)["status"] == "pass");
  CHECK(expected["verdict"]["layer"] == "none");
  CHECK(expected_run.exit_code == 0);
}

TEST_CASE("tlsdoctor --reference: missing or bad keys are usage errors", "[reference_binary]") {
  CHECK(run_process({tlsdoctor_binary(), "--reference", "https://ref.lab.test"}).exit_code == 2);
  const auto bad_key = run_process({tlsdoctor_binary(), "--reference", "https://ref.lab.test", "--reference-key",
                                    "ed25519:AAAA"});
  CHECK(bad_key.exit_code == 2);
  CHECK_THAT(bad_key.err, Catch::Contains("32 bytes"));
  const auto not_https = run_process({tlsdoctor_binary(), "--reference", "http://ref.lab.test", "--reference-key",
                                      "/nonexistent/signing.pub"});
  CHECK(not_https.exit_code == 2);
}

TEST_CASE("the systemd unit in installers/ passes systemd-analyze verify with the built binary", "[reference_binary]") {
  const auto analyze = find_on_path("systemd-analyze");
  if (!analyze) {
    if (lab_required()) FAIL("systemd-analyze is required by TLSDOCTOR_REQUIRE_LAB");
    WARN("skipped: systemd-analyze is not installed");
    return;
  }
  std::ifstream in(fs::path(TLSDOCTOR_SOURCE_DIR) / "installers/systemd/tlsdoctor-reference.service");
  std::stringstream unit;
  unit << in.rdbuf();
  std::string text = unit.str();
  REQUIRE_FALSE(text.empty());
  const std::string installed = "/usr/bin/tlsdoctor-reference";
  for (auto at = text.find(installed); at != std::string::npos; at = text.find(installed, at)) {
    text.replace(at, installed.size(), tlsdoctor_reference_binary());
    at += tlsdoctor_reference_binary().size();
  }
  CHECK_THAT(text, Catch::Contains("DynamicUser=yes"));
  CHECK_THAT(text, Catch::Contains("ProtectSystem=strict"));
  CHECK_THAT(text, Catch::Contains("NoNewPrivileges=yes"));
  CHECK_THAT(text, Catch::Contains("CapabilityBoundingSet=CAP_NET_BIND_SERVICE"));
  auto dir = TempTree::create("tlsdoctor-e2e-unit-").value();
  REQUIRE(write_file(dir.path() / "tlsdoctor-reference.service", text));
  const auto verified = run_process({*analyze, "verify", (dir.path() / "tlsdoctor-reference.service").string()});
  INFO(verified.out << verified.err);
  CHECK(verified.exit_code == 0);
  CHECK(verified.err.empty());
}

TEST_CASE("reference serve --config: a JSON file with paths beside it, a misspelt key is refused", "[reference_binary]") {
  auto reference = start_reference();  // for its key pair and PEM files
  reference.process->stop(std::chrono::seconds(5), SIGTERM);
  const auto dir = reference.dir.path();
  REQUIRE(write_file(dir / "config.json", R"({"listen": ["127.0.0.1:0"], "cert": "chain.pem", "key": "key.pem",
                                              "signing_key": "keys/signing.key", "threads": 1})"));
  auto server = BackgroundProcess::start({tlsdoctor_reference_binary(), "serve", "--config", (dir / "config.json").string()},
                                         "\"listening\"", std::chrono::seconds(10));
  REQUIRE(server);
  CHECK(listening_port((*server)->stderr_so_far()) != 0);
  CHECK((*server)->stop(std::chrono::seconds(8), SIGTERM).exit_code == 0);

  REQUIRE(write_file(dir / "typo.json", R"({"listen": ["127.0.0.1:0"], "certificate": "chain.pem"})"));
  const auto typo = run_process({tlsdoctor_reference_binary(), "serve", "--config", (dir / "typo.json").string()});
  CHECK(typo.exit_code == 2);
  CHECK_THAT(typo.err, Catch::Contains("certificate"));
}

TEST_CASE("reference serve with a captive-portal listener, /metrics and request logs free of client addresses",
          "[reference_binary]") {
  auto reference = start_reference({"--captive-listen", "127.0.0.1:0", "--log-requests"});
  const json listening = listening_event(reference.process->stderr_so_far());
  REQUIRE(listening["captive_ports"].size() == 1);
  const auto captive_port = listening["captive_ports"][0].get<std::uint16_t>();
  LabHttpRequest page;
  page.url = "http://127.0.0.1:" + std::to_string(captive_port) + "/v1/captive";
  const auto captive = lab_http_request(page);
  INFO(captive.error);
  CHECK(captive.status == 200);
  CHECK_THAT(captive.body, Catch::StartsWith("tlsdoctor-reference captive-portal check"));

  const std::string host_port = std::string(kLabHostName) + ":" + std::to_string(reference.port);
  LabHttpRequest metrics;
  metrics.url = "https://" + host_port + "/metrics";
  metrics.resolve = {host_port + ":127.0.0.1"};
  metrics.ca_file = reference.root_pem.string();
  const auto scraped = lab_http_request(metrics);
  CHECK(scraped.status == 200);
  CHECK_THAT(scraped.body, Catch::Contains("tlsdoctor_reference_requests_total{endpoint=\"captive\",code=\"2xx\"} 1"));

  const auto stopped = reference.process->stop(std::chrono::seconds(8), SIGTERM);
  CHECK(stopped.exit_code == 0);
  int request_lines = 0;
  std::istringstream lines(stopped.err);
  for (std::string line; std::getline(lines, line);) {
    const json event = json::parse(line, nullptr, false);
    if (event.is_discarded() || event.value("event", "") != "request") continue;
    ++request_lines;
    CHECK(line.find("127.0.0.1") == std::string::npos);  // no client address in the log
    CHECK(event.contains("status"));
    CHECK(event.contains("endpoint"));
  }
  CHECK(request_lines == 2);
}

TEST_CASE("reference serve refuses a CIDR that does not parse, naming it", "[reference_binary]") {
  auto dir = TempTree::create("tlsdoctor-e2e-serve-cidr-").value();
  const auto keys = dir.path() / "keys";
  REQUIRE(run_process({tlsdoctor_reference_binary(), "keygen", "--out", keys.string()}).exit_code == 0);
  const auto bad = run_process({tlsdoctor_reference_binary(), "serve", "--listen", "127.0.0.1:0", "--cert", "c.pem",
                                "--key", "k.pem", "--signing-key", (keys / "signing.key").string(), "--allow-cidr",
                                "10.0.0.0/40"});
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Catch::Contains("10.0.0.0/40"));
}

TEST_CASE("tlsdoctor --no-proxy and --proxy choose the route to the reference over the proxy variables",
          "[reference_binary]") {
  auto reference = start_reference();
  const std::string url = "https://127.0.0.1:" + std::to_string(reference.port);
  ProcessOptions dead_proxy;
  for (const char* name : {"HTTPS_PROXY", "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY"}) dead_proxy.env[name] = std::nullopt;
  dead_proxy.env["https_proxy"] = "http://127.0.0.1:" + std::to_string(unused_loopback_port());
  const std::vector<std::string> base{tlsdoctor_binary(), "--only", "interception", "-f", "json", "--timeout", "10",
                                      "--reference", url, "--reference-key", reference.public_key.string()};

  // The variable names a proxy where nothing listens: the reference is unreachable that way.
  const auto via_variable = check_json(run_process(base, dead_proxy));
  CHECK((*interception_check(via_variable))["findings"][0]["id"] == "reference.unreachable");

  auto direct_args = base;
  direct_args.push_back("--no-proxy");
  const auto direct = check_json(run_process(direct_args, dead_proxy));
  CHECK((*interception_check(direct))["status"] == "pass");

  auto named_args = base;
  named_args.insert(named_args.end(), {"--proxy", "http://127.0.0.1:" + std::to_string(unused_loopback_port())});
  ProcessOptions clean = dead_proxy;
  clean.env["https_proxy"] = std::nullopt;
  const auto named = check_json(run_process(named_args, clean));
  CHECK((*interception_check(named))["findings"][0]["id"] == "reference.unreachable");

  CHECK(run_process({tlsdoctor_binary(), "--proxy", "ftp://x", "--no-proxy"}).exit_code == 2);
  const auto bad_proxy = run_process({tlsdoctor_binary(), "--proxy", "::not a url::"});
  CHECK(bad_proxy.exit_code == 2);
  CHECK_THAT(bad_proxy.err, Catch::Contains("--proxy"));
}
