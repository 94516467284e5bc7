// tlsdoctor-reference run as an operator runs it: keygen's files, serve as a separate process on loopback, SIGTERM.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "lab/background_process.h"
#include "lab/scenario_pki.h"
#include "lab/subprocess.h"
#include "lab/temp_tree.h"

using namespace tlsdoctor;
using namespace tlsdoctor::lab;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// The port of the first listener, from serve's "listening" log line.
std::uint16_t listening_port(const std::string& log) {
  std::istringstream lines(log);
  for (std::string line; std::getline(lines, line);) {
    const json event = json::parse(line, nullptr, false);
    if (!event.is_discarded() && event.value("event", "") == "listening") return event["ports"][0].get<std::uint16_t>();
  }
  return 0;
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
  auto dir = TempTree::create("tlsdoctor-e2e-serve-").value();
  const auto keys = dir.path() / "keys";
  REQUIRE(run_process({tlsdoctor_reference_binary(), "keygen", "--out", keys.string()}).exit_code == 0);
  ScenarioOptions options;
  auto identity = default_identity(options);
  REQUIRE(identity);
  std::string chain = identity->certificate.cert_pem();
  for (const auto& cert : identity->chain) chain += cert.cert_pem();
  REQUIRE(write_file(dir.path() / "chain.pem", chain));
  REQUIRE(write_file(dir.path() / "key.pem", identity->certificate.key_pem()));
  REQUIRE(write_pem_bundle(dir.path() / "root.pem", {&lab_pki().root}));

  auto server = BackgroundProcess::start(
      {tlsdoctor_reference_binary(), "serve", "--listen", "127.0.0.1:0", "--cert", (dir.path() / "chain.pem").string(),
       "--key", (dir.path() / "key.pem").string(), "--signing-key", (keys / "signing.key").string()},
      "\"listening\"", std::chrono::seconds(10));
  REQUIRE(server);
  const std::uint16_t port = listening_port((*server)->stderr_so_far());
  REQUIRE(port != 0);
  const std::string host_port = std::string(kLabHostName) + ":" + std::to_string(port);
  const auto health =
      run_process({"curl", "-sS", "--max-time", "5", "--noproxy", "*", "--cacert", (dir.path() / "root.pem").string(),
                   "--resolve", host_port + ":127.0.0.1", "https://" + host_port + "/healthz"});
  if (health.exit_code == 127 && !lab_required()) {
    WARN("skipped: curl is not installed");
  } else {
    INFO(health.err);
    CHECK(health.out == "ok\n");
  }
  const auto stopped = (*server)->stop(std::chrono::seconds(8), SIGTERM);
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
