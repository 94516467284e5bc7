// Tests for checker/checks/captive_portal.cpp: the reference's page passes; redirects, 511 and sign-in pages fail.
#include <catch2/catch.hpp>

#include "checks/captive_portal.h"
#include "core/build_info.h"
#include "reference/protocol/protocol_version.h"
#include "unit/proxy/local_http_server.h"
#include "unit/refclient/lab_reference.h"

using namespace tlsdoctor;
using namespace std::chrono_literals;

namespace {

refclient::CaptivePage page(long status, std::string body, std::string location = "") {
  refclient::CaptivePage p;
  p.url = "http://ref.example/v1/captive";
  p.reached = true;
  p.http_status = status;
  p.body = std::move(body);
  p.location = std::move(location);
  return p;
}

std::string evidence_of(const Finding& f, const std::string& key) {
  for (const auto& e : f.evidence) {
    if (e.key == key) return e.value;
  }
  return "(absent)";
}

checks::Context context_for(std::string url) {
  checks::Context ctx{platform::Env::from_process(), build_info(), Deadline::after(10s)};
  ctx.captive_url = std::move(url);
  return ctx;
}

}  // namespace

TEST_CASE("captive portal: the reference's own page means no portal", "[captive]") {
  const auto r = checks::judge_captive_page(page(200, std::string(reference::kCaptivePortalBody)));
  CHECK(r.findings.empty());
  CHECK(r.status == CheckStatus::Pass);
}

TEST_CASE("captive portal: a redirect, a 511 or another page is a portal", "[captive]") {
  SECTION("a redirect, with where it goes") {
    const auto r = checks::judge_captive_page(page(302, "", "http://login.hotel.test/?mac=aa"));
    REQUIRE(r.findings.size() == 1);
    CHECK(r.findings[0].id == FindingId::PathCaptivePortal);
    CHECK(evidence_of(r.findings[0], "location") == "http://login.hotel.test/?mac=aa");
    CHECK(r.status == CheckStatus::Fail);
  }
  SECTION("511 Network Authentication Required") {
    const auto r = checks::judge_captive_page(page(511, "<html>sign in</html>"));
    REQUIRE(r.findings.size() == 1);
    CHECK(r.findings[0].title.find("HTTP 511") != std::string::npos);
  }
  SECTION("a 200 that is not the reference's page, its start in the evidence") {
    const auto r = checks::judge_captive_page(page(200, "<html>\n<title>Welcome</title>"));
    REQUIRE(r.findings.size() == 1);
    CHECK(evidence_of(r.findings[0], "body_start") == "<html> <title>Welcome</title>");
  }
}

TEST_CASE("captive portal: no answer or another status proves nothing", "[captive]") {
  auto unreachable = page(0, "");
  unreachable.reached = false;
  unreachable.error = "Connection refused";
  CHECK(checks::judge_captive_page(unreachable).findings.empty());
  const auto not_found = checks::judge_captive_page(page(404, "not found"));
  CHECK(not_found.findings.empty());
  CHECK(not_found.summary.find("HTTP 404") != std::string::npos);
}

TEST_CASE("captive portal run: the lab reference's captive listener passes", "[captive]") {
  reference::Router router{test::lab_reference_key()};
  auto settings = test::lab_reference_settings();
  settings.captive_listen = {"127.0.0.1:0"};
  auto server = reference::ReferenceServer::start(settings, router);
  REQUIRE(server);
  const auto url = "http://127.0.0.1:" + std::to_string((*server)->captive_ports().front()) +
                   std::string(reference::kCaptivePortalPath);
  const auto r = checks::CaptivePortalCheck().run(context_for(url));
  INFO(r.facts.dump());
  CHECK(r.findings.empty());
  CHECK(r.facts["http_status"] == 200);
}

TEST_CASE("captive portal run: a local portal that redirects is found", "[captive]") {
  test::LocalHttpServer portal;
  portal.set("/v1/captive", {302, "text/html", ""});
  portal.set_location("/v1/captive", "http://portal.lab.test/login");
  const auto r = checks::CaptivePortalCheck().run(context_for(portal.url("/v1/captive")));
  REQUIRE(r.findings.size() == 1);
  CHECK(r.findings[0].id == FindingId::PathCaptivePortal);
  CHECK(portal.requests() == 1);
  CHECK(r.facts["location"] == "http://portal.lab.test/login");
}

TEST_CASE("captive portal run: skipped without a page to ask", "[captive]") {
  const checks::Context ctx{platform::Env::from_process(), build_info(), Deadline::after(1s)};
  CHECK(checks::CaptivePortalCheck().run(ctx).status == CheckStatus::Skip);
}
