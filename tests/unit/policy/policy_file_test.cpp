// Tests for policy/policy_file.cpp: a full policy read field by field, and each bad field named in its error.
#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>

#include "lab/temp_tree.h"
#include "policy/policy_file.h"
#include "reference/protocol/signing.h"

using namespace tlsdoctor;
using namespace tlsdoctor::policy;

namespace {

std::string a_key() {
  auto key = reference::SigningKey::generate();
  REQUIRE(key);
  return reference::public_key_text(key->public_key());
}

// The error message for `text`, which must not parse.
std::string error_of(const std::string& text) {
  auto parsed = parse_policy(text, "/etc/tlsdoctor/policy.json");
  REQUIRE_FALSE(parsed);
  CHECK(parsed.error().input == "/etc/tlsdoctor/policy.json");
  return parsed.error().message;
}

}  // namespace

TEST_CASE("policy: every field of a full policy is read", "[policy]") {
  const std::string key = a_key();
  const std::string text = R"({
    "schema": "tlsdoctor.policy/1",
    "reference": {"url": "https://ref.example.com", "keys": [")" + key + R"("]},
    "targets": ["https://intranet.example.com", "mail.example.com:993"],
    "expected_inspection": [
      {"name": "Contoso gateway", "issuers": ["CN=Contoso Inspection CA,O=Contoso"],
       "spki_sha256": ["AB:CD:)" + std::string(60, '0') + R"(", "sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="]}
    ],
    "clock": {"tolerance_seconds": 120, "time_sources": ["https://time.example.com"]},
    "skip_checks": ["captive_portal"],
    "captive_url": "http://portal-check.example.com/ok",
    "report": {"path": "/var/log/tlsdoctor/report.json", "format": "text"}
  })";
  const auto p = parse_policy(text, "policy.json");
  INFO((p ? "" : p.error().message));
  REQUIRE(p);
  CHECK(p->source == "policy.json");
  REQUIRE(p->reference);
  CHECK(p->reference->url == "https://ref.example.com");
  CHECK(p->reference->key_text == key);
  CHECK(p->targets.size() == 2);
  REQUIRE(p->expected_inspection.size() == 1);
  const auto& inspection = p->expected_inspection.front();
  CHECK(inspection.name == "Contoso gateway");
  CHECK(inspection.issuers == std::vector<std::string>{"CN=Contoso Inspection CA,O=Contoso"});
  REQUIRE(inspection.spki_sha256.size() == 2);
  CHECK(inspection.spki_sha256[0] == "abcd" + std::string(60, '0'));
  CHECK(inspection.spki_sha256[1] == std::string(64, '0'));
  CHECK(p->clock_tolerance == std::chrono::seconds(120));
  CHECK(p->time_sources == std::vector<std::string>{"https://time.example.com"});
  CHECK(p->skip_checks == std::vector<std::string>{"captive_portal"});
  CHECK(p->captive_url == "http://portal-check.example.com/ok");
  REQUIRE(p->report);
  CHECK(p->report->path == "/var/log/tlsdoctor/report.json");
  CHECK(p->report->format == "text");
}

TEST_CASE("policy: an empty object is a valid policy that changes nothing", "[policy]") {
  const auto p = parse_policy("{}", "p.json");
  REQUIRE(p);
  CHECK_FALSE(p->reference);
  CHECK(p->targets.empty());
  CHECK_FALSE(p->clock_tolerance);
  CHECK_FALSE(p->report);
}

TEST_CASE("policy: several keys for the reference (rotation) are all pinned", "[policy]") {
  const std::string a = a_key();
  const std::string b = a_key();
  const auto p = parse_policy(R"({"reference": {"url": "https://r.example", "keys": [")" + a + R"(", ")" + b + R"("]}})", "p");
  REQUIRE(p);
  const auto keys = reference::parse_key_set(p->reference->key_text, "keys");
  REQUIRE(keys);
  CHECK(keys->keys.size() == 2);
}

TEST_CASE("policy: each bad field is named with what is wrong", "[policy]") {
  CHECK_THAT(error_of(R"({"clok": {}})"), Catch::StartsWith("clok: unknown field"));
  CHECK_THAT(error_of(R"({"clock": {"tolerance": 5}})"), Catch::StartsWith("clock.tolerance: unknown field"));
  CHECK_THAT(error_of(R"({"clock": {"tolerance_seconds": 0}})"), Catch::StartsWith("clock.tolerance_seconds: must be"));
  CHECK_THAT(error_of(R"({"clock": {"tolerance_seconds": 90000}})"), Catch::StartsWith("clock.tolerance_seconds:"));
  CHECK_THAT(error_of(R"({"clock": {"tolerance_seconds": 1.5}})"), Catch::StartsWith("clock.tolerance_seconds:"));
  CHECK_THAT(error_of(R"({"clock": {"time_sources": ["http://plain.example"]}})"),
             Catch::StartsWith("clock.time_sources[0]: must be a https://"));
  CHECK_THAT(error_of(R"({"targets": "a.example"})"), Catch::StartsWith("targets: must be a list of strings"));
  CHECK_THAT(error_of(R"({"targets": ["a.example", 7]})"), Catch::StartsWith("targets[1]: must be a string"));
  CHECK_THAT(error_of(R"({"skip_checks": [""]})"), Catch::StartsWith("skip_checks[0]: must not be empty"));
  CHECK_THAT(error_of(R"({"reference": {"url": "https://r.example"}})"), Catch::StartsWith("reference.keys: is required"));
  CHECK_THAT(error_of(R"({"reference": {"url": "http://r.example", "keys": "ed25519:x"}})"),
             Catch::StartsWith("reference.url: must be a https://"));
  CHECK_THAT(error_of(R"({"reference": {"url": "https://r.example", "keys": "ed25519:not-a-key"}})"),
             Catch::StartsWith("reference.keys: "));
  CHECK_THAT(error_of(R"({"expected_inspection": [{"name": "X"}]})"),
             Catch::StartsWith("expected_inspection[0]: names no issuers and no spki_sha256"));
  CHECK_THAT(error_of(R"({"expected_inspection": [{"issuers": ["CN=X"]}]})"),
             Catch::StartsWith("expected_inspection[0].name: is required"));
  CHECK_THAT(error_of(R"({"expected_inspection": [{"name": "X", "spki_sha256": ["abc"]}]})"),
             Catch::StartsWith("expected_inspection[0].spki_sha256[0]: must be 64 hex digits"));
  CHECK_THAT(error_of(R"({"captive_url": "https://p.example"})"), Catch::StartsWith("captive_url: must be a http://"));
  CHECK_THAT(error_of(R"({"report": {"path": "relative/report.json"}})"),
             Catch::StartsWith("report.path: must be an absolute path"));
  CHECK_THAT(error_of(R"({"report": {"path": "/r.json", "format": "xml"}})"),
             Catch::StartsWith("report.format: 'xml' is not one of json, text, html, jsonl"));
  CHECK_THAT(error_of(R"({"schema": "tlsdoctor.policy/9"})"), Catch::StartsWith("schema: 'tlsdoctor.policy/9'"));
  CHECK_THAT(error_of(R"([1, 2])"), Catch::StartsWith("(top level): must be a JSON object"));
}

TEST_CASE("policy: invalid JSON says where, and deep nesting is refused", "[policy]") {
  CHECK(error_of("{\n  \"targets\": [\"a\",]\n}") == "not valid JSON (line 2, column 19)");
  CHECK_THAT(error_of(std::string(100, '[') + std::string(100, ']')), Catch::Contains("nested deeper"));
  CHECK_THAT(error_of(R"({"clock": {"tolerance_seconds": 1e999}})"), Catch::Contains("out of range"));
}

TEST_CASE("policy: a file is read with its path in every error", "[policy]") {
  auto dir = lab::TempTree::create("tlsdoctor-policy-").value();
  const auto missing = load_policy(dir.path() / "absent.json");
  REQUIRE_FALSE(missing);
  CHECK_THAT(missing.error().input, Catch::Contains("absent.json"));
  const auto path = dir.path() / "policy.json";
  std::ofstream(path) << R"({"skip_checks": ["clock"]})";
  const auto loaded = load_policy(path);
  REQUIRE(loaded);
  CHECK(loaded->source == path.string());
  std::ofstream(path) << std::string(kMaxPolicyBytes + 1, ' ');
  const auto huge = load_policy(path);
  REQUIRE_FALSE(huge);
  CHECK_THAT(huge.error().message, Catch::Contains("too large"));
}

TEST_CASE("policy: SPKI pins in both written forms", "[policy]") {
  CHECK(normalize_spki_pin(std::string(64, 'A')) == std::string(64, 'a'));
  CHECK(normalize_spki_pin("sha256/47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=") ==
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(normalize_spki_pin("sha256/AAAA").empty());  // 3 bytes, not 32
  CHECK(normalize_spki_pin("sha1/AAAA").empty());
  CHECK(normalize_spki_pin(std::string(62, 'a')).empty());
}

TEST_CASE("policy: the example in docs/policy.md is a valid policy", "[policy]") {
  std::ifstream in(std::string(TLSDOCTOR_SOURCE_DIR) + "/docs/policy.md");
  REQUIRE(in);
  const std::string doc((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto start = doc.find("```json\n");
  REQUIRE(start != std::string::npos);
  const auto body = start + 8;
  const auto end = doc.find("```", body);
  REQUIRE(end != std::string::npos);
  const auto p = parse_policy(doc.substr(body, end - body), "docs/policy.md");
  INFO((p ? "" : p.error().message));
  REQUIRE(p);
  CHECK(p->reference);
  CHECK(p->expected_inspection.size() == 1);
  CHECK(p->report);
}
