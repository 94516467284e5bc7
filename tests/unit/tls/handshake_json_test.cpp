// The probe object written for a Handshake (checker/tls/handshake_json.cpp): schema, fields, no credentials.
#include <catch2/catch.hpp>

#include "lab/cert_factory.h"
#include "lab/report_schema.h"
#include "tls/handshake_json.h"

using namespace tlsdoctor;
using namespace tlsdoctor::tls;

namespace {

std::vector<std::uint8_t> bytes(std::string_view text) { return {text.begin(), text.end()}; }

Handshake sample_handshake() {
  lab::CertSpec root_spec;
  root_spec.common_name = "Handshake JSON Root";
  auto root = lab::make_root(root_spec);
  REQUIRE(root);
  lab::CertSpec leaf_spec;
  leaf_spec.common_name = "json.lab.test";
  leaf_spec.ip_addresses = {"127.0.0.1"};
  leaf_spec.dns_names = {"json.lab.test"};
  auto leaf = lab::make_leaf(leaf_spec, *root);
  REQUIRE(leaf);

  Handshake h;
  h.spec.label = "default";
  h.spec.host = "json.lab.test";
  h.spec.port = 8443;
  h.spec.route = RouteSpec::http_proxy("http://alice:s3cret@proxy.lab.test:3128");
  h.failure = Failure::CertExpired;
  h.stage = ProbeStage::Verify;
  h.detail = "certificate has expired";
  h.completed = true;
  h.dns.source = DnsObservation::Source::Proxy;
  h.proxy = ProxyObservation{"http://***@proxy.lab.test:3128", 200, "", std::chrono::milliseconds{4}, ""};
  h.client_hello_raw = bytes("\x01\x00\x00\x00");
  h.client_hello = ClientHello{};
  h.client_hello->cipher_suites = {0x1301, 0x0a0a};
  h.client_hello->supported_versions = {0x0304, 0x0303};
  h.client_hello->key_shares = {KeyShareEntry{0x001d, 32}};
  h.client_hello->extensions = {ExtensionEntry{0, 17}};
  h.client_hellos_sent = 1;
  h.ja3 = "771,4865,0,,";
  h.ja3_hash = "0123456789abcdef0123456789abcdef";
  h.ja4 = "t13i010100_aaaaaaaaaaaa_000000000000";
  h.server = ServerHelloObservation{TlsVersion::Tls1_3, 0x1301, "TLS_AES_128_GCM_SHA256", "x25519", "", false, {43, 51}, ""};
  h.peer_chain = {leaf->cert_der(), root->cert_der(), bytes("not a certificate")};
  h.verify.performed = true;
  h.verify.trust = "anchors:1";
  h.verify.verify_time = "2026-11-22T00:00:00Z";
  h.verify.name = "json.lab.test";
  h.verify.errors = {VerifyError{10, 0, "certificate has expired"}};
  h.verify.failure = Failure::CertExpired;
  h.alerts = {AlertRecord{true, true, 45, "certificate_expired"}};
  return h;
}

}  // namespace

TEST_CASE("a probe object matches the report schema and carries the observations", "[handshake_json]") {
  const auto j = to_json(sample_handshake());
  const auto violations = lab::probe_output_violations(nlohmann::json{{"probes", nlohmann::json::array({j})}});
  for (const auto& v : violations) UNSCOPED_INFO(v);
  CHECK(violations.empty());
  CHECK(j["target"] == "json.lab.test:8443");
  CHECK(j["failure"] == "cert_expired");
  CHECK(j["meaning"].get<std::string>().find("expired") != std::string::npos);
  CHECK(j["spec"]["route"] == "http_proxy");
  CHECK(j["dns"]["source"] == "proxy");
  CHECK(j["client_hello"]["cipher_suites"][0] == "TLS_AES_128_GCM_SHA256");
  CHECK(j["client_hello"]["supported_versions"][0] == "TLS 1.3");
  CHECK(j["client_hello"]["key_shares"][0]["bytes"] == 32);
  CHECK(j["server_hello"]["cipher_id"] == "0x1301");
  REQUIRE(j["chain"].size() == 3);
  CHECK(j["chain"][0]["dns_names"][0] == "json.lab.test");
  CHECK(j["chain"][0]["ip_addresses"][0] == "127.0.0.1");
  CHECK(j["chain"][0]["sha256"].get<std::string>().size() == 64);
  CHECK(j["chain"][2].contains("parse_error"));
  CHECK(j["alerts"][0]["direction"] == "sent");
  CHECK(j["verify"]["errors"][0]["code"] == 10);
}

TEST_CASE("the proxy's credentials never reach the probe object", "[handshake_json]") {
  const std::string text = to_json(sample_handshake()).dump();
  CHECK(text.find("s3cret") == std::string::npos);
  CHECK(text.find("alice") == std::string::npos);
  CHECK(text.find("proxy.lab.test:3128") != std::string::npos);
}

TEST_CASE("a probe that stopped at DNS has nulls where nothing was observed", "[handshake_json]") {
  Handshake h;
  h.spec.host = "2001:db8::1";
  h.failure = Failure::TcpTimeout;
  h.stage = ProbeStage::Connect;
  const auto j = to_json(h);
  CHECK(j["target"] == "[2001:db8::1]:443");
  CHECK(j["client_hello"].is_null());
  CHECK(j["server_hello"].is_null());
  CHECK(j["proxy"].is_null());
  CHECK(j["chain"].empty());
  const auto violations = lab::probe_output_violations(nlohmann::json{{"probes", nlohmann::json::array({j})}});
  for (const auto& v : violations) UNSCOPED_INFO(v);
  CHECK(violations.empty());
}
