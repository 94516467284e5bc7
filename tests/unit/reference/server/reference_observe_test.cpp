// The running reference's observe endpoint and its admission: SSRF guard, token bucket, global cap; /metrics; captive page.
#include <catch2/catch.hpp>

#include <future>
#include <string>
#include <vector>

#include "lab/lab_https_client.h"
#include "lab/scenario_pki.h"
#include "lab/scenario_server.h"
#include "lab/temp_tree.h"
#include "pki/certificate.h"
#include "reference/protocol/answer_check.h"
#include "reference/protocol/messages.h"
#include "reference/protocol/protocol_version.h"
#include "reference/server/observe_target.h"
#include "reference/server/reference_server.h"
#include "reference/server/server_limits.h"

using namespace tlsdoctor;
using namespace tlsdoctor::reference;
using namespace std::chrono_literals;

namespace {

// A reference with observe on, its anchors and allow list set for the lab, and one lab target.
struct ObserveLab {
  SigningKey key = SigningKey::generate().value();
  ObserveSettings observing;
  std::unique_ptr<Router> router;
  std::unique_ptr<ReferenceServer> server;
  lab::TempTree dir = lab::TempTree::create("tlsdoctor-ref-observe-").value();
  std::string ca;
  std::uint16_t port = 0;
  std::uint16_t captive_port = 0;

  ObserveLab(std::vector<std::string> allow, std::vector<std::uint16_t> ports, std::chrono::milliseconds deadline) {
    for (const auto& cidr : allow) observing.vetting.addresses.allow.push_back(parse_cidr(cidr).value());
    observing.vetting.ports = std::move(ports);
    observing.trust = tls::TrustSpec::from_anchors({lab::lab_pki().root_der()});
    observing.deadline = deadline;
    router = std::make_unique<Router>(key, [this](const ObserveRequest& r) { return observe_target(r, observing); });
    lab::ScenarioOptions options;
    auto identity = lab::default_identity(options);
    REQUIRE(identity);
    ServerSettings settings;
    settings.listen = {"127.0.0.1:0"};
    settings.captive_listen = {"127.0.0.1:0"};
    settings.identity.chain_pem = identity->certificate.cert_pem();
    for (const auto& cert : identity->chain) settings.identity.chain_pem += cert.cert_pem();
    settings.identity.key_pem = identity->certificate.key_pem();
    auto started = ReferenceServer::start(settings, *router);
    REQUIRE(started);
    server = std::move(*started);
    port = server->ports().front();
    captive_port = server->captive_ports().front();
    ca = (dir.path() / "root.pem").string();
    REQUIRE(lab::write_pem_bundle(ca, {&lab::lab_pki().root}));
  }

  lab::LabHttpResponse call(const std::string& method, const std::string& target, const std::string& body = "",
                            const std::string& from = "") const {
    lab::LabHttpRequest request;
    request.url = "https://" + std::string(lab::kLabHostName) + ":" + std::to_string(port) + target;
    request.resolve = {std::string(lab::kLabHostName) + ":" + std::to_string(port) + ":127.0.0.1"};
    request.ca_file = ca;
    request.method = method;
    request.body = body;
    request.local_address = from;
    return lab::lab_http_request(request);
  }

  lab::LabHttpResponse observe(const std::string& host, std::uint16_t target_port, const std::string& from = "",
                               const std::string& nonce = make_nonce()) const {
    const std::string body = nlohmann::json{{"host", host}, {"port", target_port}, {"sni", lab::kLabHostName}}.dump();
    return call("POST", "/v1/observe?nonce=" + nonce, body, from);
  }

  KeySet keys() const { return KeySet{{key.public_key()}}; }
};

std::unique_ptr<lab::ScenarioServer> lab_target(lab::Behaviour behaviour = lab::Behaviour::Good) {
  lab::ScenarioOptions options;
  options.behaviour = behaviour;
  auto server = lab::ScenarioServer::start(options);
  REQUIRE(server);
  return std::move(*server);
}

}  // namespace

TEST_CASE("observe probes a lab target inside the allow list and signs what it saw", "[reference_observe]") {
  const auto target = lab_target();
  const ObserveLab lab({"127.0.0.0/8"}, {target->port()}, 8s);
  const std::string nonce = make_nonce();
  const auto response = lab.observe("127.0.0.1", target->port(), "", nonce);
  INFO(response.error << response.body);
  REQUIRE(response.status == 200);
  auto checked = check_answer(SignedBody{response.body, response.header("tlsdoctor-key-id"),
                                         response.header("tlsdoctor-signature")},
                              lab.keys(), "observe", nonce);
  REQUIRE(checked);
  auto answer = observe_answer_from_json(checked->value);
  REQUIRE(answer);
  CHECK(answer->dialed == "127.0.0.1");
  CHECK(answer->addresses == std::vector<std::string>{"127.0.0.1"});
  // The default hello and TLS 1.0-1.3 pinned; the lab serves 1.2 and 1.3 by default.
  REQUIRE(answer->probes.size() == 5);
  const auto& first = answer->probes.front();
  CHECK(first["label"] == "default");
  CHECK(first["failure"].is_null());
  // What the reference saw is what the lab served: the leaf's fingerprint matches.
  const auto served = target->served_chain();
  REQUIRE_FALSE(served.empty());
  CHECK(first.dump().find(pki::sha256_hex(served.front())) != std::string::npos);
}

TEST_CASE("observe refuses targets outside the allow list and ports outside the allowlist", "[reference_observe]") {
  const auto target = lab_target();
  const ObserveLab lab({}, {target->port()}, 5s);
  const auto loopback = lab.observe("127.0.0.1", target->port());
  CHECK(loopback.status == 403);
  CHECK_THAT(loopback.body, Catch::Contains("forbidden_target"));
  const ObserveLab allowed({"127.0.0.0/8"}, {443}, 5s);
  const auto port = allowed.observe("127.0.0.1", target->port());
  CHECK(port.status == 403);
  CHECK_THAT(port.body, Catch::Contains("forbidden_target"));
  const auto literal = allowed.observe("2130706433", 443);
  CHECK(literal.status == 400);
  // The target was never contacted.
  CHECK(target->connections().empty());
}

TEST_CASE("a client's token bucket answers 429 with Retry-After, others are still served", "[reference_observe]") {
  const ObserveLab lab({}, {443}, 5s);
  // Refused targets are cheap, but each still costs the client a token.
  for (std::size_t i = 0; i < kObserveBurst; ++i) CHECK(lab.observe("127.0.0.1", 443, "127.0.0.21").status == 403);
  const auto limited = lab.observe("127.0.0.1", 443, "127.0.0.21");
  CHECK(limited.status == 429);
  CHECK_THAT(limited.body, Catch::Contains("rate_limited"));
  REQUIRE(limited.header("retry-after"));
  CHECK(std::stoi(*limited.header("retry-after")) >= 1);
  CHECK(lab.observe("127.0.0.1", 443, "127.0.0.22").status == 403);
  // Echo is not rate limited.
  CHECK(lab.call("GET", "/v1/echo?nonce=" + make_nonce(), "", "127.0.0.21").status == 200);

  const auto metrics = lab.call("GET", "/metrics");
  REQUIRE(metrics.status == 200);
  CHECK_THAT(*metrics.header("content-type"), Catch::StartsWith("text/plain"));
  CHECK_THAT(metrics.body, Catch::Contains("tlsdoctor_reference_errors_total{class=\"rate_limited\"} 1\n"));
  CHECK_THAT(metrics.body, Catch::Contains("tlsdoctor_reference_errors_total{class=\"forbidden_target\"} " +
                                           std::to_string(kObserveBurst + 1) + "\n"));
  CHECK_THAT(metrics.body, Catch::Contains("tlsdoctor_reference_requests_total{endpoint=\"echo\",code=\"2xx\"} 1\n"));
  CHECK_THAT(metrics.body, Catch::Contains("tlsdoctor_reference_handshakes_total{version=\"TLSv1.3\"}"));
}

TEST_CASE("more observations at once than the global cap are answered 429 busy", "[reference_observe]") {
  // A target that accepts and never answers holds each observation until its deadline.
  const auto target = lab_target(lab::Behaviour::NeverAnswers);
  const ObserveLab lab({"127.0.0.0/8"}, {target->port()}, 3s);
  std::vector<std::future<lab::LabHttpResponse>> holding;
  for (std::size_t i = 0; i < kMaxConcurrentObserves; ++i) {
    const std::string from = "127.0.1." + std::to_string(i + 1);  // one token bucket each
    holding.push_back(std::async(std::launch::async, [&lab, &target, from] {
      return lab.observe("127.0.0.1", target->port(), from);
    }));
  }
  // Let all of them be admitted before the next arrives.
  std::this_thread::sleep_for(1s);
  const auto refused = lab.observe("127.0.0.1", target->port(), "127.0.1.100");
  CHECK(refused.status == 429);
  CHECK_THAT(refused.body, Catch::Contains("busy"));
  CHECK(refused.header("retry-after") == std::optional<std::string>("1"));
  // Echo answers at once while the observe pool is full.
  const auto started = std::chrono::steady_clock::now();
  CHECK(lab.call("GET", "/v1/echo?nonce=" + make_nonce()).status == 200);
  CHECK(std::chrono::steady_clock::now() - started < 2s);
  for (auto& held : holding) {
    const auto answer = held.get();
    INFO(answer.error << answer.body);
    CHECK(answer.status == 200);  // an observation of a silent target is an answer, with timeouts in it
  }
}

TEST_CASE("the plain-HTTP listener serves the captive-portal page, and nothing else", "[reference_observe]") {
  const ObserveLab lab({}, {443}, 5s);
  lab::LabHttpRequest request;
  request.url = "http://127.0.0.1:" + std::to_string(lab.captive_port) + std::string(kCaptivePortalPath);
  const auto page = lab::lab_http_request(request);
  CHECK(page.status == 200);
  CHECK(page.body == kCaptivePortalBody);
  request.url = "http://127.0.0.1:" + std::to_string(lab.captive_port) + "/v1/echo";
  CHECK(lab::lab_http_request(request).status == 404);
}
