// Tests for checker/nettime/network_time: the signed reference first, HTTP Dates when it gives no time, none offline.
#include <catch2/catch.hpp>

#include "lab/date_server.h"
#include "lab/scenario_pki.h"
#include "lab/temp_tree.h"
#include "nettime/network_time.h"
#include "reference/server/clock_uncertainty.h"
#include "unit/refclient/lab_reference.h"

using namespace tlsdoctor;
using namespace std::chrono_literals;

namespace {

const reference::SigningKey& signing_key() { return test::lab_reference_key(); }

refclient::ReferenceTarget reference_target(const reference::KeySet& keys) { return test::lab_reference_target(keys); }

std::chrono::milliseconds offset(const nettime::TrustedTime& t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.local - t.utc);
}

}  // namespace

TEST_CASE("network time: the signed reference is asked first", "[nettime]") {
  nettime::TimeSources sources;
  sources.reference = reference_target(reference::KeySet{{signing_key().public_key()}});
  // A Date source that would say otherwise: it must not be asked.
  lab::DateServerOptions wrong;
  wrong.offset = 5h;
  const auto dates = lab::DateServer::start(wrong);
  REQUIRE(dates);
  sources.dates = {{(*dates)->url(), std::nullopt}};
  sources.date_options.resolve = {(*dates)->resolve_entry()};
  const auto t = nettime::find_network_time(sources, Deadline::after(10s));
  INFO(t.facts.dump());
  REQUIRE(t.time);
  CHECK(std::chrono::abs(offset(*t.time)) < 2s);
  CHECK(t.time->source.find("reference https://lab.tlsdoctor.test:") == 0);
  CHECK(t.facts["http_dates"].is_null());
  CHECK((*dates)->requests_answered() == 0);
}

TEST_CASE("network time: HTTP Dates when the reference's answer is not believed", "[nettime]") {
  const auto other_key = reference::SigningKey::generate().value();
  auto dir = lab::TempTree::create("tlsdoctor-nettime-");
  REQUIRE(dir);
  const auto ca_file = dir->path() / "root.pem";
  REQUIRE(lab::write_pem_bundle(ca_file, {&lab::lab_pki().root}));

  nettime::TimeSources sources;
  sources.reference = reference_target(reference::KeySet{{other_key.public_key()}});
  lab::DateServerOptions behind;
  behind.offset = -2h;
  const auto a = lab::DateServer::start(behind);
  behind.bind_address = "127.0.0.2";
  const auto b = lab::DateServer::start(behind);
  REQUIRE(a);
  REQUIRE(b);
  sources.dates = {{(*a)->url(), std::nullopt}, {(*b)->url(), std::nullopt}};
  sources.date_options.ca_file = ca_file.string();
  sources.date_options.resolve = {(*a)->resolve_entry(), (*b)->resolve_entry()};
  const auto t = nettime::find_network_time(sources, Deadline::after(10s));
  INFO(t.facts.dump());
  REQUIRE(t.time);
  // The hosts are two hours behind, so this machine looks two hours ahead of them.
  CHECK(std::chrono::abs(offset(*t.time) - 2h) < 3s);
  CHECK(t.time->source == "HTTP Date of 2 of 2 hosts (median)");
  CHECK(t.facts["reference"]["error"].get<std::string>().find("not believed") != std::string::npos);
  CHECK(t.facts["http_dates"]["samples"].size() == 2);
  CHECK(t.facts["chosen"] == t.time->source);
}

TEST_CASE("network time: nothing to ask means no time, and the facts say why", "[nettime]") {
  const auto t = nettime::find_network_time({}, Deadline::after(1s));
  CHECK_FALSE(t.time);
  CHECK(t.facts["unavailable"] == "no time source configured (offline run)");
}

TEST_CASE("network time: every source failing gives no time, with each reason", "[nettime]") {
  nettime::TimeSources sources;
  sources.dates = {{"https://127.0.0.1:1/", std::nullopt}, {"https://127.0.0.1:2/", std::nullopt}};
  const auto t = nettime::find_network_time(sources, Deadline::after(5s));
  CHECK_FALSE(t.time);
  CHECK(t.facts["unavailable"] == "0 of 2 time sources gave a usable Date (at least 2 must agree)");
  CHECK_FALSE(t.facts["http_dates"]["samples"][0]["error"].is_null());
}

TEST_CASE("network time: a reference whose own clock is not synchronised is checked against HTTP Dates",
          "[nettime]") {
  // A reference that says its clock may be a day off (what an unsynchronised server reports).
  reference::Router loose_router{signing_key(), {}, [] { return reference::kUnsyncedUncertaintyMs; }};
  auto server = reference::ReferenceServer::start(test::lab_reference_settings(), loose_router);
  REQUIRE(server);
  const std::string host_port = std::string(lab::kLabHostName) + ":" + std::to_string((*server)->ports().front());
  nettime::TimeSources sources;
  sources.reference = refclient::ReferenceTarget{"https://" + host_port, reference::KeySet{{signing_key().public_key()}},
                                                 std::nullopt, {host_port + ":127.0.0.1"}};
  auto dir = lab::TempTree::create("tlsdoctor-nettime-loose-");
  REQUIRE(dir);
  const auto ca_file = dir->path() / "root.pem";
  REQUIRE(lab::write_pem_bundle(ca_file, {&lab::lab_pki().root}));
  auto hosts = lab::SkewedTimeHosts::start(-3h, ca_file.string());
  REQUIRE(hosts);
  for (const auto& url : hosts->urls()) sources.dates.push_back({url, std::nullopt});
  sources.date_options.ca_file = ca_file.string();
  sources.date_options.resolve = hosts->resolve_entries();
  const auto t = nettime::find_network_time(sources, Deadline::after(10s));
  INFO(t.facts.dump());
  REQUIRE(t.time);
  CHECK(t.time->source == "HTTP Date of 2 of 2 hosts (median)");
  CHECK(std::chrono::abs(offset(*t.time) - 3h) < 3s);
  CHECK(t.facts["reference"]["loose"].get<std::string>().find("not synchronised") != std::string::npos);

  // Without Date sources the loose time is still the best there is.
  sources.dates.clear();
  const auto only_reference = nettime::find_network_time(sources, Deadline::after(10s));
  REQUIRE(only_reference.time);
  CHECK(only_reference.time->uncertainty >= std::chrono::hours(24));
}
