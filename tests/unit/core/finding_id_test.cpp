// Finding ids: unique, well-formed, round-trip through their strings, layer by prefix.
#include <catch2/catch.hpp>

#include <regex>
#include <set>

#include "core/finding_id.h"

using namespace tlsdoctor;

TEST_CASE("finding ids are unique and well-formed") {
  std::set<std::string_view> seen;
  const std::regex shape("^[a-z]+\\.[a-z0-9_]+$");
  for (const auto& info : all_finding_ids()) {
    INFO(info.name);
    CHECK(seen.insert(info.name).second);
    CHECK(std::regex_match(std::string(info.name), shape));
    CHECK(to_string(info.id) == info.name);
    REQUIRE(finding_id_from_string(info.name).has_value());
    CHECK(*finding_id_from_string(info.name) == info.id);
  }
  CHECK(seen.size() > 40);
}

TEST_CASE("the minimum set of DESIGN.md's finding ids exists with its layer") {
  CHECK(layer_of(*finding_id_from_string("clock.skew")) == Layer::Local);
  CHECK(layer_of(*finding_id_from_string("trust.root_leaked_key")) == Layer::Local);
  CHECK(layer_of(*finding_id_from_string("path.interception")) == Layer::Path);
  CHECK(layer_of(*finding_id_from_string("proxy.denied")) == Layer::Path);
  CHECK(layer_of(*finding_id_from_string("proxy.unreachable")) == Layer::Local);
  CHECK(layer_of(*finding_id_from_string("server.sni_required")) == Layer::Server);
  CHECK(layer_of(*finding_id_from_string("reference.stale")) == Layer::Reference);
  CHECK_FALSE(finding_id_from_string("clock.nonsense").has_value());
}

TEST_CASE("ids whose prefix names a layer are in that layer") {
  for (const auto& info : all_finding_ids()) {
    INFO(info.name);
    if (info.name.starts_with("path.")) CHECK(info.layer == Layer::Path);
    if (info.name.starts_with("server.")) CHECK(info.layer == Layer::Server);
    if (info.name.starts_with("local.") || info.name.starts_with("clock.") ||
        info.name.starts_with("trust.")) {
      CHECK(info.layer == Layer::Local);
    }
  }
}
