// Tests for report/html_renderer.cpp: one self-contained page, verdict first, every check, text escaped.
#include <catch2/catch.hpp>

#include <regex>

#include "report/html_renderer.h"
#include "unit/report/sample_report.h"

using namespace tlsdoctor;
using namespace tlsdoctor::report;

TEST_CASE("html: a complete page with the verdict before the checks, one row per check", "[html]") {
  const auto html = render_html(test::sample_report());
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(html.find("</html>") != std::string::npos);
  CHECK(html.find("name=\"viewport\"") != std::string::npos);
  CHECK(html.find("@media print") != std::string::npos);
  const auto verdict = html.find("id=\"verdict\"");
  const auto checks = html.find("id=\"checks\"");
  REQUIRE(verdict != std::string::npos);
  REQUIRE(checks != std::string::npos);
  CHECK(verdict < checks);
  for (const char* id : {"check-clock", "check-proxy", "check-trust_store"}) CHECK(html.find(id) != std::string::npos);
  CHECK(html.find("proxy.unreachable") != std::string::npos);
  CHECK(html.find("Check the proxy address with your IT department") != std::string::npos);
}

TEST_CASE("html: nothing runs and nothing loads: no script, no outside URL", "[html]") {
  const auto html = render_html(test::sample_report());
  CHECK(html.find("<script") == std::string::npos);
  CHECK_FALSE(std::regex_search(html, std::regex(R"((src|href)\s*=)", std::regex::icase)));
  CHECK(html.find("@import") == std::string::npos);
  CHECK(html.find("url(") == std::string::npos);
}

TEST_CASE("html: text from the machine or the wire is escaped", "[html]") {
  auto r = test::sample_report();
  r.checks[0].findings[0].title = "<script>alert(1)</script> & \"quoted\"";
  r.checks[0].findings[0].evidence.push_back({"<b>key</b>", "<img src=x onerror=alert(1)>"});
  const auto html = render_html(r);
  CHECK(html.find("<script>alert") == std::string::npos);
  CHECK(html.find("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quoted&quot;") != std::string::npos);
  CHECK(html.find("<img") == std::string::npos);
  CHECK(html.find("&lt;img src=x onerror=alert(1)&gt;") != std::string::npos);
}

TEST_CASE("html: targets' handshakes appear with their chain and fingerprints", "[html]") {
  auto r = test::sample_report();
  r.probes = nlohmann::ordered_json::array(
      {{{"target", "intranet.example.com:443"},
        {"label", "default"},
        {"failure", "cert_expired"},
        {"meaning", "A certificate in the server's chain has expired."},
        {"client_hello", {{"ja3_hash", "0123abcd"}, {"ja4", "t13d1516h2_8daaf6152771_e5627efa2ab1"}}},
        {"server_hello", {{"version", "TLS 1.3"}}},
        {"chain", {{{"subject", "CN=intranet.example.com"}, {"issuer", "CN=Example CA"}, {"not_after", "2020-01-01T00:00:00Z"}}}}}});
  const auto html = render_html(r);
  CHECK(html.find("intranet.example.com:443") != std::string::npos);
  CHECK(html.find("cert_expired") != std::string::npos);
  CHECK(html.find("CN=Example CA") != std::string::npos);
  CHECK(html.find("0123abcd") != std::string::npos);
}
