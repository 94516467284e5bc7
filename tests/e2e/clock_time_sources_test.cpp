// The built tlsdoctor's clock check against lab time hosts: a machine a time zone off, a sound one, bad options.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "lab/date_server.h"
#include "e2e/report_check.h"
#include "lab/subprocess.h"
#include "lab/temp_tree.h"

using namespace tlsdoctor;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

// Lab time hosts `offset` from the true time, and the options that point the clock check at
// them (their CA, --resolve for the lab name).
struct TimeHosts {
  lab::TempTree dir = lab::TempTree::create("tlsdoctor-e2e-time-").value();
  lab::SkewedTimeHosts hosts;

  explicit TimeHosts(std::chrono::seconds offset)
      : hosts(lab::SkewedTimeHosts::start(offset, (dir.path() / "root.pem").string()).value()) {}

  std::vector<std::string> args() const {
    std::vector<std::string> out{lab::tlsdoctor_binary(), "--only", "clock", "-f", "json", "--ca-file", hosts.ca_file};
    for (const auto& url : hosts.urls()) out.insert(out.end(), {"--time-source", url});
    for (const auto& entry : hosts.resolve_entries()) out.insert(out.end(), {"--resolve", entry});
    return out;
  }
};

}  // namespace

TEST_CASE("time hosts three hours ahead: clock.timezone_mismatch, the local layer, exit 1") {
  const TimeHosts hosts(3h);
  const auto r = lab::run_process(hosts.args());
  const auto doc = test::schema_valid_report(r);
  CHECK(r.exit_code == 1);
  CHECK(doc["verdict"]["layer"] == "local");
  CHECK(doc["verdict"]["cause"] == "clock.timezone_mismatch");
  const auto& clock = doc["checks"][0];
  CHECK(clock["facts"]["time_sources"]["chosen"] == "HTTP Date of 2 of 2 hosts (median)");
  CHECK(hosts.hosts.a->requests_answered() == 1);
  CHECK(hosts.hosts.b->requests_answered() == 1);
}

TEST_CASE("time hosts that agree with this clock: no skew, and the trusted time is in the report") {
  const TimeHosts hosts(0s);
  const auto r = lab::run_process(hosts.args());
  const auto doc = test::schema_valid_report(r);
  const auto& clock = doc["checks"][0];
  CHECK_FALSE(clock["facts"]["trusted_time"].is_null());
  for (const auto& f : clock["findings"]) {
    CHECK(f["id"] != "clock.skew");
    CHECK(f["id"] != "clock.timezone_mismatch");
  }
}

TEST_CASE("time source options: bad input is exit 2 naming the input") {
  const auto not_https = lab::run_process({lab::tlsdoctor_binary(), "--time-source", "http://time.lab.test/"});
  CHECK(not_https.exit_code == 2);
  CHECK(not_https.err.find("'http://time.lab.test/' is not an https:// URL") != std::string::npos);
  const auto offline_too = lab::run_process({lab::tlsdoctor_binary(), "--offline", "--time-source", "https://a.test/"});
  CHECK(offline_too.exit_code == 2);
  CHECK(offline_too.err.find("--offline and --time-source") != std::string::npos);
  const auto missing_ca = lab::run_process({lab::tlsdoctor_binary(), "--ca-file", "/nonexistent/ca.pem"});
  CHECK(missing_ca.exit_code == 2);
  CHECK(missing_ca.err.find("/nonexistent/ca.pem") != std::string::npos);
}

TEST_CASE("offline: no time source is asked, and the report says so") {
  const auto r = lab::run_process({lab::tlsdoctor_binary(), "--offline", "--only", "clock", "-f", "json"});
  const auto doc = test::schema_valid_report(r);
  CHECK(doc["run"]["options"]["offline"] == true);
  CHECK(doc["checks"][0]["facts"]["time_sources"]["unavailable"] == "no time source configured (offline run)");
}
