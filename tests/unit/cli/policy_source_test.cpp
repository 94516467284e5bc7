// Tests for cli/policy_source.cpp: which policy file applies, how it merges, and errors that name the field.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "cli/policy_source.h"
#include "lab/temp_tree.h"
#include "reference/protocol/signing.h"

using namespace tlsdoctor;
using namespace tlsdoctor::cli;

namespace {

const std::vector<std::string_view> kChecks{"clock", "trust_store", "captive_portal", "target"};

// A sysroot whose etc/tlsdoctor/policy.json holds `text`.
struct PolicyRoot {
  lab::TempTree dir = lab::TempTree::create("tlsdoctor-policy-root-").value();
  platform::Env env;

  explicit PolicyRoot(const std::string& text) {
    std::filesystem::create_directories(dir.path() / "etc/tlsdoctor");
    std::ofstream(dir.path() / "etc/tlsdoctor/policy.json") << text;
    env.sysroot = dir.path();
  }
};

std::string a_key() {
  auto key = reference::SigningKey::generate();
  REQUIRE(key);
  return reference::public_key_text(key->public_key());
}

}  // namespace

TEST_CASE("policy source: the default file applies when present, --no-policy and --policy override it") {
  const PolicyRoot root(R"({"skip_checks": ["clock"]})");
  Options opts;
  const auto found = policy_path(opts, root.env);
  REQUIRE(found);
  CHECK(*found == root.dir.path() / "etc/tlsdoctor/policy.json");
  REQUIRE(apply_policy(opts, root.env, kChecks));
  CHECK(opts.policy.skip_checks == std::vector<std::string>{"clock"});
  CHECK(opts.policy.source == "/etc/tlsdoctor/policy.json");

  Options none;
  none.no_policy = true;
  CHECK_FALSE(policy_path(none, root.env));

  platform::Env empty;
  empty.sysroot = lab::TempTree::create("tlsdoctor-no-policy-").value().path();
  CHECK_FALSE(policy_path(Options{}, empty));

  Options named;
  named.policy_file = (root.dir.path() / "absent.json").string();
  const auto missing = apply_policy(named, root.env, kChecks);
  REQUIRE_FALSE(missing);
  CHECK_THAT(missing.error().input, Catch::Contains("absent.json"));
}

TEST_CASE("policy source: the command line wins where both speak, the policy fills the rest") {
  const std::string key = a_key();
  const PolicyRoot root(R"({"reference": {"url": "https://ref.example.com", "keys": ")" + key + R"("},
    "targets": ["intranet.example.com"], "clock": {"tolerance_seconds": 30, "time_sources": ["https://t.example.com"]},
    "captive_url": "http://portal.example.com/ok", "report": {"path": "/tmp/r.json"}})");
  Options quiet;
  REQUIRE(apply_policy(quiet, root.env, kChecks));
  CHECK(quiet.reference_url == "https://ref.example.com");
  CHECK(quiet.reference_key == key);
  CHECK(quiet.targets == std::vector<std::string>{"intranet.example.com"});
  CHECK(quiet.time_sources == std::vector<std::string>{"https://t.example.com"});
  CHECK(quiet.captive_url == "http://portal.example.com/ok");
  CHECK(quiet.policy.clock_tolerance == std::chrono::seconds(30));

  Options typed;
  typed.reference_file = "snapshot.json";
  typed.targets = {"other.example.com"};
  typed.time_sources = {"https://mine.example.com"};
  REQUIRE(apply_policy(typed, root.env, kChecks));
  CHECK_FALSE(typed.reference_url);  // a snapshot was asked for: no live reference besides it
  CHECK(typed.targets == std::vector<std::string>{"other.example.com"});
  CHECK(typed.time_sources == std::vector<std::string>{"https://mine.example.com"});

  Options offline;
  offline.offline = true;
  REQUIRE(apply_policy(offline, root.env, kChecks));
  CHECK_FALSE(offline.reference_url);
  CHECK(offline.time_sources.empty());
  CHECK_FALSE(offline.captive_url);
  CHECK(offline.targets.size() == 1);  // targets need no outside help
}

TEST_CASE("policy source: what only the command line can judge is checked, naming the field") {
  const auto error_of = [](const std::string& text) {
    const PolicyRoot root(text);
    Options opts;
    const auto applied = apply_policy(opts, root.env, kChecks);
    REQUIRE_FALSE(applied);
    CHECK(applied.error().input == "/etc/tlsdoctor/policy.json");
    CHECK_FALSE(opts.policy.skip_checks.size() > 0);  // nothing half applied
    return applied.error().message;
  };
  CHECK_THAT(error_of(R"({"skip_checks": ["clock", "dns_magic"]})"),
             Catch::StartsWith("skip_checks[1]: 'dns_magic' is not a check (known: clock, trust_store"));
  CHECK_THAT(error_of(R"({"skip_checks": ["clock"], "targets": ["ok.example.com", "https://bad host/"]})"),
             Catch::StartsWith("targets[1]: "));
  CHECK_THAT(error_of(R"({"targets": ["a","b","c","d","e","f","g","h","i","j","k","l","m","n","o","p","q"]})"),
             Catch::StartsWith("targets: 17 entries; at most 16"));
  CHECK_THAT(error_of(R"({"clok": 1})"), Catch::StartsWith("clok: unknown field"));
}
