// Tests for checker/checks/proxy_judgement.cpp: each proxy finding fires, and stays silent.
#include <catch2/catch.hpp>

#include <algorithm>

#include "checks/proxy_judgement.h"
#include "unit/proxy/settings_builder.h"

using namespace tlsdoctor;
using namespace tlsdoctor::checks;
using platform::DesktopProxyMode;
using platform::ProxyRole;
using platform::ProxySourceKind;

namespace {

// Canned PAC answers: "pac-ok" URLs answer with a proxy, anything else fails as given.
class CannedPac : public proxy::PacResolver {
 public:
  proxy::PacFailure failure = proxy::PacFailure::ScriptError;
  tl::expected<std::vector<proxy::ProxyRoute>, proxy::PacError> find(std::string_view pac_url,
                                                                     std::string_view,
                                                                     std::string_view) override {
    if (pac_url.find("pac-ok") != std::string_view::npos) {
      return *proxy::parse_pac_answer("PROXY pac-proxy.corp:8080");
    }
    return tl::unexpected(proxy::PacError{failure, "canned failure"});
  }
};

ProxyObservations observe(platform::ProxySettings settings, CannedPac pac = {}) {
  ProxyObservations seen;
  seen.settings = std::move(settings);
  seen.effective = proxy::resolve_effective_proxy(seen.settings, "https://www.example.com/", pac);
  return seen;
}

// Copies, so that a temporary vector of findings may be passed.
std::vector<Finding> with_id(const std::vector<Finding>& findings, FindingId id) {
  std::vector<Finding> out;
  for (const auto& f : findings) {
    if (f.id == id) out.push_back(f);
  }
  return out;
}

std::string all_text(const std::vector<Finding>& findings) {
  std::string text;
  for (const auto& f : findings) {
    text += f.title + "\n" + f.fix + "\n";
    for (const auto& e : f.evidence) text += e.key + "=" + e.value + "\n";
  }
  return text;
}

}  // namespace

TEST_CASE("proxy judgement: no proxy anywhere: no findings, summary 'no proxy'") {
  const auto seen = observe(test::empty_proxy_settings());
  CHECK(judge_proxy(seen).empty());
  CHECK(summarize_proxy(seen) == "no proxy");
}

TEST_CASE("proxy judgement: proxy.in_use fires when a source sets a proxy") {
  auto s = test::empty_proxy_settings();
  test::set_env(s, "https_proxy", "http://proxy.corp:3128");
  test::set_env(s, "http_proxy", "http://proxy.corp:3128");
  const auto seen = observe(s);
  const auto findings = judge_proxy(seen);
  const auto in_use = with_id(findings, FindingId::ProxyInUse);
  REQUIRE(in_use.size() == 1);
  CHECK(in_use[0].severity == Severity::Info);
  CHECK(in_use[0].fix.empty());
  CHECK_THAT(all_text(findings), Catch::Contains("http://proxy.corp:3128 (https_proxy)"));
  CHECK(findings.size() == 1);  // nothing else is wrong
  CHECK(summarize_proxy(seen) == "https via proxy.corp:3128 (https_proxy)");
}

TEST_CASE("proxy judgement: proxy.credentials_in_url fires without printing the password") {
  auto s = test::empty_proxy_settings();
  test::set_env(s, "https_proxy", "http://alice:Tr0ub4dor@proxy.corp:3128");
  test::set_env(s, "http_proxy", "http://alice:Tr0ub4dor@proxy.corp:3128");
  test::set_var(s, ProxySourceKind::EtcEnvironment, "https_proxy", "http://alice:Tr0ub4dor@proxy.corp:3128");
  const auto findings = judge_proxy(observe(s));
  const auto creds = with_id(findings, FindingId::ProxyCredentialsInUrl);
  REQUIRE(creds.size() == 1);
  CHECK(creds[0].severity == Severity::Warn);
  CHECK(creds[0].evidence.size() == 3);
  CHECK_FALSE(creds[0].fix.empty());
  const auto text = all_text(findings);
  CHECK(text.find("Tr0ub4dor") == std::string::npos);
  CHECK(text.find("alice") == std::string::npos);
  CHECK_THAT(text, Catch::Contains("http://***@proxy.corp:3128"));

  auto clean = test::empty_proxy_settings();
  test::set_env(clean, "https_proxy", "http://proxy.corp:3128");
  CHECK(with_id(judge_proxy(observe(clean)), FindingId::ProxyCredentialsInUrl).empty());
}

TEST_CASE("proxy judgement: proxy.config_conflict: https_proxy and HTTPS_PROXY differ") {
  auto s = test::empty_proxy_settings();
  test::set_env(s, "https_proxy", "http://a.corp:3128");
  test::set_env(s, "HTTPS_PROXY", "http://b.corp:3128");
  auto conflicts = with_id(judge_proxy(observe(s)), FindingId::ProxyConfigConflict);
  REQUIRE(conflicts.size() == 1);
  CHECK(conflicts[0].severity == Severity::Warn);
  CHECK_THAT(conflicts[0].title, Catch::Contains("https_proxy and HTTPS_PROXY"));

  auto same = test::empty_proxy_settings();
  test::set_env(same, "https_proxy", "http://a.corp:3128/");
  test::set_env(same, "HTTPS_PROXY", "http://A.corp:3128");
  CHECK(with_id(judge_proxy(observe(same)), FindingId::ProxyConfigConflict).empty());
}

TEST_CASE("proxy judgement: proxy.config_conflict: HTTP_PROXY without http_proxy") {
  auto s = test::empty_proxy_settings();
  test::set_env(s, "HTTP_PROXY", "http://a.corp:3128");
  auto conflicts = with_id(judge_proxy(observe(s)), FindingId::ProxyConfigConflict);
  REQUIRE(conflicts.size() == 1);
  CHECK_THAT(conflicts[0].title, Catch::Contains("curl ignores it"));
}

TEST_CASE("proxy judgement: proxy.config_conflict: the session differs from /etc/environment") {
  auto s = test::empty_proxy_settings();
  test::set_var(s, ProxySourceKind::EtcEnvironment, "https_proxy", "http://a.corp:3128");
  auto conflicts = with_id(judge_proxy(observe(s)), FindingId::ProxyConfigConflict);
  REQUIRE(conflicts.size() == 1);
  CHECK_THAT(conflicts[0].title, Catch::Contains("/etc/environment"));

  test::set_env(s, "https_proxy", "http://a.corp:3128");
  CHECK(with_id(judge_proxy(observe(s)), FindingId::ProxyConfigConflict).empty());
}

TEST_CASE("proxy judgement: proxy.config_conflict: environment and the GNOME desktop disagree") {
  auto s = test::empty_proxy_settings();
  s.current_desktop = "GNOME";
  test::set_env(s, "https_proxy", "http://a.corp:3128");
  test::set_desktop(s, ProxySourceKind::Gnome, DesktopProxyMode::None);
  auto seen = observe(s);
  auto conflicts = with_id(judge_proxy(seen), FindingId::ProxyConfigConflict);
  REQUIRE(conflicts.size() == 1);
  CHECK_THAT(conflicts[0].title, Catch::Contains("GNOME"));
  CHECK(summarize_proxy(seen) ==
        "https via a.corp:3128 (https_proxy); desktop (GNOME) direct (mode none)");

  // Same proxy in both: silent.
  auto agree = test::empty_proxy_settings();
  agree.current_desktop = "GNOME";
  test::set_env(agree, "https_proxy", "http://a.corp:3128");
  test::set_desktop(agree, ProxySourceKind::Gnome, DesktopProxyMode::Manual, {{ProxyRole::Https, "a.corp:3128"}});
  CHECK(with_id(judge_proxy(observe(agree)), FindingId::ProxyConfigConflict).empty());

  // GNOME's default 'none' outside a GNOME session says nothing about the desktop in use.
  auto headless = test::empty_proxy_settings();
  test::set_env(headless, "https_proxy", "http://a.corp:3128");
  test::set_desktop(headless, ProxySourceKind::Gnome, DesktopProxyMode::None);
  CHECK(with_id(judge_proxy(observe(headless)), FindingId::ProxyConfigConflict).empty());
}

TEST_CASE("proxy judgement: proxy.config_conflict: a PAC desktop against a direct command line") {
  auto s = test::empty_proxy_settings();
  s.current_desktop = "KDE";
  test::set_desktop(s, ProxySourceKind::Kde, DesktopProxyMode::PacUrl,
                    {{ProxyRole::PacUrl, "http://pac-ok.corp/p.pac"}});
  auto seen = observe(s);
  const auto findings = judge_proxy(seen);
  CHECK(with_id(findings, FindingId::ProxyConfigConflict).size() == 1);
  CHECK(with_id(findings, FindingId::ProxyInUse).size() == 1);
  CHECK(with_id(findings, FindingId::ProxyPacFailed).empty());
  CHECK(summarize_proxy(seen) ==
        "https direct; desktop (KDE) via pac-proxy.corp:8080 (PAC http://pac-ok.corp/p.pac)");
}

TEST_CASE("proxy judgement: proxy.pac_failed: a broken PAC fails, WPAD with no server warns") {
  auto s = test::empty_proxy_settings();
  s.current_desktop = "GNOME";
  test::set_desktop(s, ProxySourceKind::Gnome, DesktopProxyMode::PacUrl,
                    {{ProxyRole::PacUrl, "http://u:pw@pac.corp/p.pac"}});
  auto findings = judge_proxy(observe(s));
  auto pac = with_id(findings, FindingId::ProxyPacFailed);
  REQUIRE(pac.size() == 1);
  CHECK(pac[0].severity == Severity::Fail);
  CHECK_THAT(all_text(findings), Catch::Contains("script_error"));
  CHECK(all_text(findings).find(":pw@") == std::string::npos);
  CHECK(with_id(findings, FindingId::ProxyConfigConflict).empty());  // broken, not compared

  // The same broken PAC left in KDE's settings on a GNOME desktop: a warning.
  auto leftover = test::empty_proxy_settings();
  leftover.current_desktop = "GNOME";
  test::set_desktop(leftover, ProxySourceKind::Kde, DesktopProxyMode::PacUrl,
                    {{ProxyRole::PacUrl, "http://pac.corp/p.pac"}});
  pac = with_id(judge_proxy(observe(leftover)), FindingId::ProxyPacFailed);
  REQUIRE(pac.size() == 1);
  CHECK(pac[0].severity == Severity::Warn);

  auto wpad = test::empty_proxy_settings();
  test::set_desktop(wpad, ProxySourceKind::Kde, DesktopProxyMode::AutoDetect);
  wpad.wpad_requested = true;
  wpad.wpad_urls = {"http://wpad.corp.example/wpad.dat"};
  CannedPac unreachable;
  unreachable.failure = proxy::PacFailure::Unreachable;
  pac = with_id(judge_proxy(observe(wpad, unreachable)), FindingId::ProxyPacFailed);
  REQUIRE(pac.size() == 1);
  CHECK(pac[0].severity == Severity::Warn);

  auto working = test::empty_proxy_settings();
  test::set_desktop(working, ProxySourceKind::Gnome, DesktopProxyMode::PacUrl,
                    {{ProxyRole::PacUrl, "http://pac-ok.corp/p.pac"}});
  CHECK(with_id(judge_proxy(observe(working)), FindingId::ProxyPacFailed).empty());
}

TEST_CASE("proxy judgement: proxy.unreachable: from a failed probe, and from an unusable address") {
  auto s = test::empty_proxy_settings();
  test::set_env(s, "https_proxy", "http://proxy.corp:3128");
  auto seen = observe(s);
  const auto targets = proxies_to_probe(seen.effective);
  REQUIRE(targets.size() == 1);
  CHECK(targets[0].first == "command line (https_proxy)");
  proxy::Reachability refused;
  refused.failure = proxy::ReachFailure::Refused;
  refused.error = "Failed to connect to proxy.corp port 3128: Connection refused";
  seen.probes.push_back({targets[0].first, targets[0].second, refused});
  auto unreachable = with_id(judge_proxy(seen), FindingId::ProxyUnreachable);
  REQUIRE(unreachable.size() == 1);
  CHECK(unreachable[0].severity == Severity::Fail);
  CHECK_THAT(unreachable[0].title, Catch::Contains("refuses connections"));

  seen.probes.front().reach = proxy::Reachability{};
  CHECK(with_id(judge_proxy(seen), FindingId::ProxyUnreachable).empty());

  auto bad = test::empty_proxy_settings();
  test::set_env(bad, "https_proxy", "http://proxy corp:3128");
  unreachable = with_id(judge_proxy(observe(bad)), FindingId::ProxyUnreachable);
  REQUIRE(unreachable.size() == 1);
  CHECK_THAT(unreachable[0].title, Catch::Contains("https_proxy"));
}

TEST_CASE("proxy judgement: the same proxy in command line and desktop is probed once") {
  auto s = test::empty_proxy_settings();
  s.current_desktop = "GNOME";
  test::set_env(s, "https_proxy", "http://a.corp:3128");
  test::set_desktop(s, ProxySourceKind::Gnome, DesktopProxyMode::Manual, {{ProxyRole::Http, "a.corp:3128"}});
  auto targets = proxies_to_probe(observe(s).effective);
  REQUIRE(targets.size() == 1);
  CHECK_THAT(targets[0].first, Catch::Contains("desktop (GNOME)"));

  test::source(s, ProxySourceKind::Gnome).entries.clear();
  test::set_desktop(s, ProxySourceKind::Gnome, DesktopProxyMode::Manual, {{ProxyRole::Http, "b.corp:3128"}});
  CHECK(proxies_to_probe(observe(s).effective).size() == 2);
}

TEST_CASE("proxy judgement: a tunnel the proxy refuses names why: credentials (407) or its rules (403)") {
  platform::ProxySettings settings;
  auto seen = observe(settings);
  CHECK(with_id(judge_proxy(seen), FindingId::ProxyAuthRequired).empty());
  seen.tunnel = ProxyTunnel{"http://proxy.corp:3128", "ref.example.com:443", {}};
  seen.tunnel->handshake.failure = tls::Failure::ProxyAuthRequired;
  const auto auth = with_id(judge_proxy(seen), FindingId::ProxyAuthRequired);
  REQUIRE(auth.size() == 1);
  CHECK(auth[0].severity == Severity::Fail);
  CHECK(layer_of(auth[0].id) == Layer::Local);
  seen.tunnel->handshake.failure = tls::Failure::ProxyRefused;
  seen.tunnel->handshake.proxy = tls::ProxyObservation{"http://proxy.corp:3128", 403, "", {}, ""};
  const auto denied = with_id(judge_proxy(seen), FindingId::ProxyDenied);
  REQUIRE(denied.size() == 1);
  CHECK(denied[0].title.find("ref.example.com:443") != std::string::npos);
  // 502/503/504: the proxy could not reach the destination; not its rules.
  seen.tunnel->handshake.proxy->connect_status = 503;
  CHECK(with_id(judge_proxy(seen), FindingId::ProxyDenied).empty());
  // A tunnel that opened (whatever TLS did next) is not the proxy's business.
  seen.tunnel->handshake.failure = tls::Failure::CertUntrustedRoot;
  CHECK(with_id(judge_proxy(seen), FindingId::ProxyDenied).empty());
  CHECK(with_id(judge_proxy(seen), FindingId::ProxyAuthRequired).empty());
}
