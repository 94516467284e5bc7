// Tests for checker/proxy/effective_proxy.cpp: each source's rules, and which desktop applies.
#include <catch2/catch.hpp>

#include <map>

#include "proxy/effective_proxy.h"
#include "unit/proxy/settings_builder.h"

using namespace tlsdoctor;
using namespace tlsdoctor::proxy;
using platform::DesktopProxyMode;
using platform::ProxyRole;
using platform::ProxySourceKind;
using test::set_desktop;
using test::set_env;

namespace {

// Canned PAC answers by PAC URL; records what was asked.
class CannedPac : public PacResolver {
 public:
  std::map<std::string, std::string> answers;  // pac url -> answer ("!" prefix: fetch failure)
  std::vector<std::string> asked;

  tl::expected<std::vector<ProxyRoute>, PacError> find(std::string_view pac_url, std::string_view,
                                                       std::string_view host) override {
    asked.push_back(std::string(pac_url) + " " + std::string(host));
    auto it = answers.find(std::string(pac_url));
    if (it == answers.end()) return tl::unexpected(PacError{PacFailure::Unreachable, "no server"});
    auto routes = parse_pac_answer(it->second);
    if (!routes) return tl::unexpected(PacError{PacFailure::BadAnswer, routes.error().message});
    return *routes;
  }
};

std::string first(const SourceAnswer& a) { return a.first() ? a.first()->display() : "(none)"; }

}  // namespace

TEST_CASE("environment: libcurl's order, lower case first, never HTTP_PROXY") {
  CannedPac pac;
  auto s = test::empty_proxy_settings();
  set_env(s, "HTTPS_PROXY", "http://upper:1");
  set_env(s, "https_proxy", "http://lower:1");
  set_env(s, "HTTP_PROXY", "http://httpupper:1");
  auto eff = resolve_effective_proxy(s, "https://www.example.com/", pac);
  CHECK(first(eff.command_line()) == "http://lower:1");
  CHECK(eff.command_line().via == "https_proxy");

  eff = resolve_effective_proxy(s, "http://www.example.com/", pac);
  CHECK_FALSE(eff.command_line().configured);  // HTTP_PROXY is ignored by libcurl

  s = test::empty_proxy_settings();
  set_env(s, "https_proxy", "");  // empty means unset
  set_env(s, "HTTPS_PROXY", "http://upper:1");
  eff = resolve_effective_proxy(s, "https://www.example.com/", pac);
  CHECK(eff.command_line().via == "HTTPS_PROXY");

  s = test::empty_proxy_settings();
  set_env(s, "ALL_PROXY", "socks5h://s:1080");
  eff = resolve_effective_proxy(s, "https://www.example.com/", pac);
  CHECK(eff.command_line().via == "ALL_PROXY");
  CHECK(first(eff.command_line()) == "socks5h://s:1080");
}

TEST_CASE("environment: NO_PROXY, and an unusable address") {
  CannedPac pac;
  auto s = test::empty_proxy_settings();
  set_env(s, "https_proxy", "http://p:3128");
  set_env(s, "no_proxy", "localhost,.example.com");
  set_env(s, "NO_PROXY", "*");  // not read: no_proxy is set
  auto eff = resolve_effective_proxy(s, "https://www.example.com/", pac);
  CHECK(first(eff.command_line()) == "DIRECT");
  CHECK(eff.command_line().via == "no_proxy entry .example.com");
  eff = resolve_effective_proxy(s, "https://www.example.org/", pac);
  CHECK(first(eff.command_line()) == "http://p:3128");

  s = test::empty_proxy_settings();
  set_env(s, "https_proxy", "http://u:secret@bad host:1");
  eff = resolve_effective_proxy(s, "https://www.example.com/", pac);
  REQUIRE(eff.command_line().error);
  CHECK(eff.command_line().routes.empty());
  CHECK(eff.command_line().error->message.find("secret") == std::string::npos);
}

TEST_CASE("GNOME manual mode as GLib reads it") {
  CannedPac pac;
  auto s = test::empty_proxy_settings();
  set_desktop(s, ProxySourceKind::Gnome, DesktopProxyMode::Manual,
              {{ProxyRole::Http, "web.corp:8080"},
               {ProxyRole::Socks, "socks.corp:1080"},
               {ProxyRole::NoProxy, "localhost,*.corp.example"}});
  auto eff = resolve_effective_proxy(s, "https://www.example.com/", pac);
  const auto& gnome = eff.answer(ProxySourceKind::Gnome);
  CHECK(display_routes(gnome.routes) == "http://web.corp:8080; socks5://socks.corp:1080");

  eff = resolve_effective_proxy(s, "https://wiki.corp.example/", pac);
  CHECK(first(eff.answer(ProxySourceKind::Gnome)) == "DIRECT");

  set_desktop(s, ProxySourceKind::Gnome, DesktopProxyMode::Manual, {{ProxyRole::Https, "tls.corp:3129"}});
  eff = resolve_effective_proxy(s, "https://www.example.com/", pac);
  CHECK(first(eff.answer(ProxySourceKind::Gnome)) == "http://tls.corp:3129");

  auto none = test::empty_proxy_settings();
  set_desktop(none, ProxySourceKind::Gnome, DesktopProxyMode::None, {{ProxyRole::Http, "web.corp:8080"}});
  eff = resolve_effective_proxy(none, "https://www.example.com/", pac);
  CHECK(first(eff.answer(ProxySourceKind::Gnome)) == "DIRECT");
  CHECK(eff.answer(ProxySourceKind::Gnome).via == "mode none");
}

TEST_CASE("PAC and WPAD sources go through the resolver") {
  CannedPac pac;
  pac.answers["http://pac.corp/p.pac"] = "PROXY pac-proxy.corp:8080; DIRECT";
  pac.answers["http://wpad.b.example/wpad.dat"] = "PROXY wpad-proxy:3128";
  auto s = test::empty_proxy_settings();
  set_desktop(s, ProxySourceKind::Gnome, DesktopProxyMode::PacUrl,
              {{ProxyRole::PacUrl, "http://pac.corp/p.pac"}});
  set_desktop(s, ProxySourceKind::Kde, DesktopProxyMode::AutoDetect);
  s.wpad_requested = true;
  s.wpad_urls = {"http://wpad.a.example/wpad.dat", "http://wpad.b.example/wpad.dat"};
  auto eff = resolve_effective_proxy(s, "https://www.example.com/", pac);
  const auto& gnome = eff.answer(ProxySourceKind::Gnome);
  CHECK(first(gnome) == "http://pac-proxy.corp:8080");
  REQUIRE(gnome.pac);
  CHECK_FALSE(gnome.pac->wpad);
  const auto& kde = eff.answer(ProxySourceKind::Kde);
  CHECK(first(kde) == "http://wpad-proxy:3128");
  REQUIRE(kde.pac);
  CHECK(kde.pac->wpad);
  CHECK(kde.pac->urls.size() == 2);
  CHECK_FALSE(kde.pac->error);
  CHECK(pac.asked.front() == "http://pac.corp/p.pac www.example.com");

  pac.answers.clear();
  eff = resolve_effective_proxy(s, "https://www.example.com/", pac);
  REQUIRE(eff.answer(ProxySourceKind::Gnome).pac->error);
  CHECK(eff.answer(ProxySourceKind::Gnome).routes.empty());
  CHECK(eff.answer(ProxySourceKind::Kde).pac->error->failure == PacFailure::Unreachable);

  s.wpad_urls.clear();
  s.wpad_unavailable_reason = "no search domain in /etc/resolv.conf";
  eff = resolve_effective_proxy(s, "https://www.example.com/", pac);
  CHECK_THAT(eff.answer(ProxySourceKind::Kde).pac->error->message, Catch::Contains("no search domain"));
}

TEST_CASE("KDE manual, reversed exceptions and environment mode") {
  CannedPac pac;
  auto s = test::empty_proxy_settings();
  set_desktop(s, ProxySourceKind::Kde, DesktopProxyMode::Manual,
              {{ProxyRole::Https, "http://kde.corp 3129"}, {ProxyRole::NoProxy, ".corp.example"}});
  auto eff = resolve_effective_proxy(s, "https://www.example.com/", pac);
  CHECK(first(eff.answer(ProxySourceKind::Kde)) == "http://kde.corp:3129");
  eff = resolve_effective_proxy(s, "https://a.corp.example/", pac);
  CHECK(first(eff.answer(ProxySourceKind::Kde)) == "DIRECT");

  auto& kde = test::source(s, ProxySourceKind::Kde);
  kde.entries.push_back({ProxyRole::Other, "ReversedException", "true", std::nullopt});
  eff = resolve_effective_proxy(s, "https://www.example.com/", pac);
  CHECK(first(eff.answer(ProxySourceKind::Kde)) == "DIRECT");  // proxy only for listed hosts
  eff = resolve_effective_proxy(s, "https://a.corp.example/", pac);
  CHECK(first(eff.answer(ProxySourceKind::Kde)) == "http://kde.corp:3129");

  auto env_mode = test::empty_proxy_settings();
  set_desktop(env_mode, ProxySourceKind::Kde, DesktopProxyMode::FromEnvironment);
  test::source(env_mode, ProxySourceKind::Kde)
      .entries.push_back({ProxyRole::Https, "httpsProxy", "HTTPS_PROXY", std::string("http://e:1")});
  eff = resolve_effective_proxy(env_mode, "https://www.example.com/", pac);
  CHECK(first(eff.answer(ProxySourceKind::Kde)) == "http://e:1");

  auto socks = test::empty_proxy_settings();
  set_desktop(socks, ProxySourceKind::Kde, DesktopProxyMode::Manual,
              {{ProxyRole::Socks, "socks://s.corp 1080"}});
  eff = resolve_effective_proxy(socks, "https://www.example.com/", pac);
  CHECK(first(eff.answer(ProxySourceKind::Kde)) == "socks5://s.corp:1080");
}

TEST_CASE("which desktop applies") {
  auto s = test::empty_proxy_settings();
  s.current_desktop = "ubuntu:GNOME";
  CHECK(choose_desktop(s) == ProxySourceKind::Gnome);
  s.current_desktop = "KDE";
  CHECK(choose_desktop(s) == ProxySourceKind::Kde);
  s.current_desktop = "XFCE";
  CHECK_FALSE(choose_desktop(s).has_value());
  s.current_desktop = "";
  CHECK_FALSE(choose_desktop(s).has_value());  // no session, nothing configured
  set_desktop(s, ProxySourceKind::Gnome, DesktopProxyMode::None);
  CHECK_FALSE(choose_desktop(s).has_value());  // 'none' is every GNOME's default
  set_desktop(s, ProxySourceKind::Kde, DesktopProxyMode::Manual);
  CHECK(choose_desktop(s) == ProxySourceKind::Kde);
}

TEST_CASE("request URLs") {
  auto t = parse_request_url("https://WWW.Example.com/path?q");
  REQUIRE(t);
  CHECK(t->scheme == "https");
  CHECK(t->host == "www.example.com");
  CHECK(t->port == 443);
  CHECK(parse_request_url("http://[::1]:8080/")->port == 8080);
  CHECK_FALSE(parse_request_url("www.example.com"));
  CHECK_FALSE(parse_request_url("gopher://x/"));
}
