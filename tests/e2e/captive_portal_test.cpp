// The built tlsdoctor's captive-portal check: a portal that redirects is the path's fault; bad URLs are usage errors.
#include <catch2/catch.hpp>

#include "e2e/report_check.h"
#include "lab/subprocess.h"
#include "unit/proxy/local_http_server.h"

using namespace tlsdoctor;

TEST_CASE("a portal redirecting the captive page: path.captive_portal, the path layer, exit 1") {
  test::LocalHttpServer portal;
  portal.set("/v1/captive", {302, "text/html", ""});
  portal.set_location("/v1/captive", "http://portal.lab.test/login");
  const auto r = lab::run_process({lab::tlsdoctor_binary(), "--only", "captive_portal", "-f", "json", "--no-proxy",
                                   "--captive-url", portal.url("/v1/captive")});
  const auto doc = test::schema_valid_report(r);
  CHECK(r.exit_code == 1);
  CHECK(doc["verdict"]["layer"] == "path");
  CHECK(doc["verdict"]["cause"] == "path.captive_portal");
}

TEST_CASE("captive-url: not http, or offline, is exit 2 naming the input") {
  const auto https = lab::run_process({lab::tlsdoctor_binary(), "--captive-url", "https://portal.test/"});
  CHECK(https.exit_code == 2);
  CHECK(https.err.find("'https://portal.test/' is not an http:// URL") != std::string::npos);
  const auto offline = lab::run_process({lab::tlsdoctor_binary(), "--offline", "--captive-url", "http://portal.test/"});
  CHECK(offline.exit_code == 2);
}
