// Text for `tlsdoctor probe` from probe objects (checker/report/probe_text_renderer.cpp).
#include <catch2/catch.hpp>

#include "report/probe_text_renderer.h"

using namespace tlsdoctor::report;
using Json = nlohmann::ordered_json;

namespace {

Json good_probe() {
  return Json::parse(R"json({
    "target": "lab.tlsdoctor.test:8443", "label": "default", "failure": null, "meaning": null,
    "stage": "done", "detail": null, "completed": true,
    "dns": {"source": "resolver", "addresses": ["127.0.0.1", "::1"], "elapsed_ms": 3, "error": null},
    "connects": [{"address": "127.0.0.1", "elapsed_ms": 0, "failure": null, "error": null}],
    "address": "127.0.0.1", "proxy": null,
    "client_hello": {"bytes": 517, "sent": 1, "ja3": "771,4865,0-11,29,0", "ja3_hash": "0123456789abcdef0123456789abcdef",
      "ja4": "t13d0102h2_aaaaaaaaaaaa_bbbbbbbbbbbb", "legacy_version": "TLS 1.2",
      "supported_versions": ["TLS 1.3", "TLS 1.2"], "cipher_suites": ["TLS_AES_256_GCM_SHA384"],
      "groups": ["x25519"], "signature_algorithms": ["ecdsa_secp256r1_sha256"],
      "extensions": [{"type": 0, "name": "server_name", "length": 23}], "sni": "lab.tlsdoctor.test",
      "alpn": ["h2"], "key_shares": [{"group": "x25519", "bytes": 32}], "padding_bytes": 0,
      "status_request": true, "raw_base64": "AQ=="},
    "server_hello": {"version": "TLS 1.3", "cipher": "TLS_AES_256_GCM_SHA384", "cipher_id": "0x1302",
      "group": "x25519", "alpn": "h2", "hello_retry_request": false, "extensions": [], "peer_signature": null},
    "chain": [{"position": 0, "subject": "CN=lab.tlsdoctor.test", "issuer": "CN=Lab Intermediate",
      "serial": "01", "not_before": "2020-01-01T00:00:00Z", "not_after": "2021-01-01T00:00:00Z",
      "dns_names": ["lab.tlsdoctor.test"], "ip_addresses": [], "alt_names_total": 1, "key": "EC 256 (prime256v1)",
      "signature_algorithm": "ecdsa-with-SHA256", "is_ca": false, "self_signed": false,
      "sha256": "ab", "spki_sha256": "cd", "der_base64": "AA=="}],
    "chain_truncated": false, "ocsp_stapled": false, "certificate_requested": false,
    "verify": {"performed": true, "ok": true, "trust": "anchors:1", "time": "2020-06-01T00:00:00Z",
      "name": "lab.tlsdoctor.test", "errors": [], "failure": null},
    "alerts": [], "timings_ms": {"dns": 3, "connect": 0, "proxy": 0, "handshake": 4, "total": 8}
  })json");
}

TextOptions plain() {
  TextOptions o;
  o.unicode = false;
  return o;
}

}  // namespace

TEST_CASE("a completed probe shows the outcome, connection, chain, verification and ClientHello", "[probe_text]") {
  const std::string text = render_probes_text(Json::array({good_probe()}), plain());
  CHECK_THAT(text, Catch::StartsWith("+ lab.tlsdoctor.test:8443: handshake completed"));
  CHECK_THAT(text, Catch::Contains("2 addresses in 3 ms: 127.0.0.1, ::1"));
  CHECK_THAT(text, Catch::Contains("TLS 1.3, TLS_AES_256_GCM_SHA384, x25519"));
  CHECK_THAT(text, Catch::Contains("[0] subject"));
  CHECK_THAT(text, Catch::Contains("CN=Lab Intermediate"));
  CHECK_THAT(text, Catch::Contains("(expired)"));  // not_after is in the past
  CHECK_THAT(text, Catch::Contains("+ trusted"));
  CHECK_THAT(text, Catch::Contains("ClientHello sent (517 bytes)"));
  CHECK_THAT(text, Catch::Contains("x25519 (32 bytes)"));
  CHECK_THAT(text, Catch::Contains("0123456789abcdef0123456789abcdef"));
  CHECK(text.find('\033') == std::string::npos);
}

TEST_CASE("a failed probe leads with its failure class and meaning, then the errors", "[probe_text]") {
  Json p = good_probe();
  p["failure"] = "cert_expired";
  p["meaning"] = "The server's certificate has expired.";
  p["stage"] = "verify";
  p["verify"]["ok"] = false;
  p["verify"]["failure"] = "cert_expired";
  p["verify"]["errors"] = Json::array({{{"code", 10}, {"depth", 0}, {"message", "certificate has expired"}}});
  p["alerts"] = Json::array({{{"direction", "sent"}, {"level", "fatal"}, {"description", 45}, {"name", "certificate_expired"}}});
  const std::string text = render_probes_text(Json::array({p}), plain());
  CHECK_THAT(text, Catch::StartsWith("x lab.tlsdoctor.test:8443: cert_expired"));
  CHECK_THAT(text, Catch::Contains("certificate has expired (certificate [0])"));
  CHECK_THAT(text, Catch::Contains("fatal certificate_expired (45)"));
}

TEST_CASE("variants are one line each after the main probe", "[probe_text]") {
  Json v = good_probe();
  v["label"] = "tls1.0";
  v["failure"] = "tls_protocol_version";
  v["meaning"] = "No TLS version both sides allow.";
  const std::string text = render_probes_text(Json::array({good_probe(), v}), plain());
  CHECK_THAT(text, Catch::Contains("Variants"));
  CHECK_THAT(text, Catch::Contains("x tls1.0"));
  CHECK_THAT(text, Catch::Contains("tls_protocol_version: No TLS version both sides allow."));
}

TEST_CASE("missing or mistyped members never crash the renderer", "[probe_text]") {
  CHECK_THAT(render_probes_text(Json::array(), plain()), Catch::Contains("No probe ran"));
  CHECK_FALSE(render_probes_text(Json::array({Json::object()}), plain()).empty());
  CHECK_FALSE(render_probes_text(Json::array({{{"chain", 5}, {"client_hello", "x"}, {"dns", nullptr}}}), plain()).empty());
}

TEST_CASE("quiet prints only the outcome", "[probe_text]") {
  TextOptions o = plain();
  o.quiet = true;
  const std::string text = render_probes_text(Json::array({good_probe()}), o);
  CHECK(text.find("ClientHello") == std::string::npos);
  CHECK_THAT(text, Catch::Contains("handshake completed"));
}
