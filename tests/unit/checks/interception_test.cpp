// Tests for checks/interception.cpp: each outcome of an echo exchange and the finding it gives.
#include <catch2/catch.hpp>

#include "checks/interception.h"
#include "lab/scenario_pki.h"
#include "pki/certificate.h"
#include "reference/protocol/protocol_version.h"

using namespace tlsdoctor;
using namespace tlsdoctor::checks;

namespace {

bool has(const CheckResult& r, FindingId id, Severity severity) {
  for (const auto& f : r.findings) {
    if (f.id == id && f.severity == severity) return true;
  }
  return false;
}

// An exchange whose echo says the reference served `served` and received `received_hello`,
// while this machine saw `seen` and sent `sent_hello`.
refclient::ReferenceExchange echo_exchange(const std::vector<std::vector<std::uint8_t>>& seen,
                                           const std::vector<std::vector<std::uint8_t>>& served,
                                           std::vector<std::uint8_t> sent_hello,
                                           std::vector<std::uint8_t> received_hello,
                                           std::vector<std::pair<std::string, std::string>> headers = {}) {
  reference::EchoAnswer echo;
  echo.received.headers = std::move(headers);
  echo.envelope = {std::string(reference::kProtocolVersion), "echo", "00112233445566778899aabbccddeeff", 1};
  echo.received.client_hello = std::move(received_hello);
  for (const auto& der : served) echo.served.chain_sha256.push_back(pki::sha256_hex(der));
  refclient::ReferenceExchange exchange;
  exchange.url = "https://ref.lab.test/v1/echo";
  exchange.reachable = true;
  exchange.http_status = 200;
  exchange.peer_chain = seen;
  exchange.client_hello_sent = std::move(sent_hello);
  exchange.answer = reference::CheckedAnswer{reference::to_json(echo), echo.envelope, "0011223344556677"};
  return exchange;
}

}  // namespace

TEST_CASE("interception: the same chain and ClientHello pass", "[interception]") {
  const auto& pki = lab::lab_pki();
  const std::vector<std::vector<std::uint8_t>> chain{pki.intermediate.cert_der()};
  const auto r = judge_reference_echo(echo_exchange(chain, chain, {1, 0, 0, 1, 3}, {1, 0, 0, 1, 3}));
  CHECK(r.status == CheckStatus::Pass);
  CHECK(r.findings.empty());
  CHECK(r.facts["chain_matches"] == true);
}

TEST_CASE("interception: another chain is path.interception naming the issuer seen", "[interception]") {
  const auto& pki = lab::lab_pki();
  const std::vector<std::vector<std::uint8_t>> seen{pki.root.cert_der()};
  const std::vector<std::vector<std::uint8_t>> served{pki.intermediate.cert_der()};
  const auto r = judge_reference_echo(echo_exchange(seen, served, {1, 0, 0, 1, 3}, {1, 0, 0, 1, 4}));
  CHECK(r.status == CheckStatus::Fail);
  REQUIRE(has(r, FindingId::PathInterception, Severity::Fail));
  const auto issuer = pki::parse_certificate(pki.root.cert_der())->issuer;
  CHECK_THAT(r.findings.front().title, Catch::Contains(issuer));
  bool saw_hello = false;
  for (const auto& e : r.findings.front().evidence) saw_hello |= e.key == "client_hello_matches" && e.value == "no";
  CHECK(saw_hello);
}

TEST_CASE("interception: a chain the policy expects is path.interception_expected when trusted here",
          "[interception]") {
  const auto& pki = lab::lab_pki();
  const std::vector<std::vector<std::uint8_t>> seen{pki.intermediate.cert_der()};
  const std::vector<std::vector<std::uint8_t>> served{pki.root.cert_der()};
  auto exchange = echo_exchange(seen, served, {1}, {2});
  const std::vector<policy::ExpectedInspection> expected{{"Contoso gateway", {"tlsdoctor lab root"}, {}}};
  exchange.locally_trusted = true;
  const auto inspected = judge_reference_echo(exchange, expected);
  CHECK(inspected.status == CheckStatus::Pass);
  REQUIRE(has(inspected, FindingId::PathInterceptionExpected, Severity::Info));
  CHECK(inspected.summary == "inspected, as the policy expects");
  // Not trusted here, the name alone proves nothing: still interception, naming what it claims.
  exchange.locally_trusted = false;
  CHECK(has(judge_reference_echo(exchange, expected), FindingId::PathInterception, Severity::Fail));
}

TEST_CASE("interception: headers added on the way are evidence and facts", "[interception]") {
  const auto& pki = lab::lab_pki();
  const std::vector<std::vector<std::uint8_t>> seen{pki.root.cert_der()};
  const std::vector<std::vector<std::uint8_t>> served{pki.intermediate.cert_der()};
  const auto r = judge_reference_echo(echo_exchange(seen, served, {1}, {2},
                                                    {{"Host", "ref.lab.test"}, {"Via", "1.1 gw"}, {"X-BlueCoat-Via", "x"}}));
  REQUIRE(has(r, FindingId::PathInterception, Severity::Fail));
  std::string added;
  for (const auto& e : r.findings.front().evidence) {
    if (e.key == "headers_added_on_the_way") added = e.value;
  }
  CHECK(added == "Via, X-BlueCoat-Via");
  CHECK(r.facts["headers_added"].size() == 2);
}

TEST_CASE("interception: unreachable, badly signed and replayed answers are reference findings", "[interception]") {
  refclient::ReferenceExchange down;
  down.url = "https://ref.lab.test/v1/echo";
  down.error = "Could not connect";
  CHECK(has(judge_reference_echo(down), FindingId::ReferenceUnreachable, Severity::Warn));

  refclient::ReferenceExchange forged = down;
  forged.reachable = true;
  forged.refused = reference::AnswerFailure{reference::AnswerProblem::BadSignature, "mismatch"};
  const auto bad = judge_reference_echo(forged);
  CHECK(has(bad, FindingId::ReferenceBadSignature, Severity::Fail));
  CHECK(bad.status == CheckStatus::Fail);

  forged.refused = reference::AnswerFailure{reference::AnswerProblem::Replayed, "another nonce"};
  CHECK(has(judge_reference_echo(forged), FindingId::ReferenceStale, Severity::Fail));
}

TEST_CASE("interception: without a reference the check is skipped, saying why", "[interception]") {
  const Context ctx{platform::Env{}, build_info(), Deadline::after(std::chrono::seconds(1))};
  const auto r = InterceptionCheck().run(ctx);
  CHECK(r.status == CheckStatus::Skip);
  REQUIRE(r.error);
  CHECK_THAT(*r.error, Catch::Contains("--reference"));
}
