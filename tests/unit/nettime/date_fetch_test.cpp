// Tests for checker/nettime/date_fetch: Dates from lab HTTPS servers, verification without the clock, deadlines.
#include <catch2/catch.hpp>

#include "lab/date_server.h"
#include "lab/scenario_server.h"
#include "lab/temp_tree.h"
#include "nettime/date_fetch.h"

using namespace tlsdoctor;
using namespace std::chrono_literals;

namespace {

struct Lab {
  lab::TempTree dir = lab::TempTree::create("tlsdoctor-dates-").value();
  std::string ca_file;
  Lab() {
    ca_file = (dir.path() / "root.pem").string();
    REQUIRE(lab::write_pem_bundle(ca_file, {&lab::lab_pki().root}));
  }
};

std::unique_ptr<lab::DateServer> start(lab::DateServerOptions options) {
  auto server = lab::DateServer::start(options);
  INFO((server ? "" : server.error()));
  REQUIRE(server);
  return std::move(*server);
}

nettime::DateFetchOptions options_for(const Lab& l, const std::vector<const lab::DateServer*>& servers) {
  nettime::DateFetchOptions o;
  o.ca_file = l.ca_file;
  for (const auto* s : servers) o.resolve.push_back(s->resolve_entry());
  return o;
}

}  // namespace

TEST_CASE("date fetch: every host's Date, paired with this machine's clock", "[nettime]") {
  const Lab l;
  lab::DateServerOptions behind;
  behind.offset = -3h;
  const auto a = start(behind);
  behind.bind_address = "127.0.0.2";
  const auto b = start(behind);
  const auto samples = nettime::fetch_dates({{a->url(), std::nullopt}, {b->url(), std::nullopt}},
                                            options_for(l, {a.get(), b.get()}), Deadline::after(10s));
  REQUIRE(samples.size() == 2);
  for (const auto& s : samples) {
    INFO(s.url << ": " << s.error);
    REQUIRE(s.answered);
    CHECK(s.error.empty());
    CHECK(s.http_status == 200);
    REQUIRE(s.server_time);
    CHECK(s.sent <= s.received);
    const auto seen_offset = std::chrono::abs(s.sent - *s.server_time - 3h);
    CHECK(seen_offset < 5s);
  }
  CHECK(a->requests_answered() == 1);
  CHECK(b->requests_answered() == 1);
}

TEST_CASE("date fetch: a certificate out of date by this machine's clock still gives its Date", "[nettime]") {
  const Lab l;
  lab::DateServerOptions options;
  options.certificate = lab::Behaviour::Expired;
  const auto expired = start(options);
  const auto samples = nettime::fetch_dates({{expired->url(), std::nullopt}}, options_for(l, {expired.get()}),
                                            Deadline::after(10s));
  INFO(samples.front().error);
  CHECK(samples.front().answered);
  CHECK(samples.front().server_time);
}

TEST_CASE("date fetch: verification stays on for everything but the dates", "[nettime]") {
  const Lab l;
  SECTION("a root this machine does not trust") {
    lab::DateServerOptions options;
    options.certificate = lab::Behaviour::UntrustedRoot;
    const auto server = start(options);
    const auto s = nettime::fetch_dates({{server->url(), std::nullopt}}, options_for(l, {server.get()}),
                                        Deadline::after(10s))
                       .front();
    CHECK_FALSE(s.answered);
    CHECK_FALSE(s.server_time);
    CHECK_FALSE(s.error.empty());
  }
  SECTION("a certificate for another name") {
    lab::DateServerOptions options;
    options.certificate = lab::Behaviour::WrongHost;
    const auto server = start(options);
    const auto s = nettime::fetch_dates({{server->url(), std::nullopt}}, options_for(l, {server.get()}),
                                        Deadline::after(10s))
                       .front();
    CHECK_FALSE(s.answered);
    CHECK_FALSE(s.error.empty());
  }
}

TEST_CASE("date fetch: answers without a usable Date say why", "[nettime]") {
  const Lab l;
  lab::DateServerOptions none;
  none.fixed_date = "";
  none.status = 404;
  const auto no_date = start(none);
  lab::DateServerOptions garbage;
  garbage.fixed_date = "yesterday-ish";
  garbage.bind_address = "127.0.0.2";
  const auto bad_date = start(garbage);
  const auto samples = nettime::fetch_dates({{no_date->url(), std::nullopt}, {bad_date->url(), std::nullopt}},
                                            options_for(l, {no_date.get(), bad_date.get()}), Deadline::after(10s));
  CHECK(samples[0].answered);
  CHECK(samples[0].http_status == 404);
  CHECK(samples[0].error == "the answer has no Date header");
  CHECK(samples[1].answered);
  CHECK(samples[1].date_header == "yesterday-ish");
  CHECK(samples[1].error == "the Date header is not an HTTP date");
  CHECK_FALSE(samples[1].server_time);
}

TEST_CASE("date fetch: a host that never answers costs no more than the budget", "[nettime]") {
  const Lab l;
  lab::ScenarioOptions silent;
  silent.behaviour = lab::Behaviour::NeverAnswers;
  auto never = lab::ScenarioServer::start(silent);
  REQUIRE(never);
  const auto good = start({});
  const std::string never_url = "https://" + std::string(lab::kLabHostName) + ":" + std::to_string((*never)->port()) + "/";
  auto options = options_for(l, {good.get()});
  options.resolve.push_back(std::string(lab::kLabHostName) + ":" + std::to_string((*never)->port()) + ":127.0.0.1");
  const auto started = std::chrono::steady_clock::now();
  const auto samples =
      nettime::fetch_dates({{never_url, std::nullopt}, {good->url(), std::nullopt}}, options, Deadline::after(1500ms));
  const auto elapsed = std::chrono::steady_clock::now() - started;
  CHECK(elapsed < 3s);
  CHECK_FALSE(samples[0].answered);
  CHECK_FALSE(samples[0].error.empty());
  CHECK(samples[1].answered);  // the other host was not held up
}

TEST_CASE("date fetch: more sources than the limit are not asked", "[nettime]") {
  std::vector<nettime::DateSource> many(nettime::kMaxDateSources + 2, {"https://127.0.0.1:1/", std::nullopt});
  const auto samples = nettime::fetch_dates(many, {}, Deadline::after(5s));
  REQUIRE(samples.size() == many.size());
  CHECK(samples.back().error.find("not asked") == 0);
  CHECK(samples.front().error.find("not asked") == std::string::npos);
  CHECK_FALSE(samples.front().answered);
}
