// Tests for checker/checks/proxy.cpp: the whole check on throw-away and fixture sysroots, with
// proxies and PAC servers on 127.0.0.1 (named hosts reach them through CONNECT_TO, not DNS).
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>

#include "checks/proxy.h"
#include "unit/platform/temp_sysroot.h"
#include "unit/proxy/local_http_server.h"

using namespace tlsdoctor;
using namespace tlsdoctor::checks;
using namespace std::chrono_literals;

namespace {

const std::filesystem::path kIntercepted = std::filesystem::path(TLSDOCTOR_FIXTURES_DIR) /
                                           "sysroot-intercepted";

Context context(platform::Env env) {
  return Context{std::move(env), build_info(), Deadline::after(10000ms)};
}

std::size_t count(const CheckResult& r, FindingId id) {
  std::size_t n = 0;
  for (const auto& f : r.findings) n += f.id == id ? 1 : 0;
  return n;
}

std::string everything(const CheckResult& r) {
  std::string text = r.summary + "\n" + r.facts.dump() + "\n";
  for (const auto& f : r.findings) {
    text += f.title + "\n" + f.fix + "\n";
    for (const auto& e : f.evidence) text += e.key + "=" + e.value + "\n";
  }
  return text;
}

void write_script(const test::TempSysroot& root, std::string_view absolute, std::string_view body) {
  root.write(absolute, body);
  std::filesystem::permissions(root.at(absolute), std::filesystem::perms::owner_all);
}

}  // namespace

TEST_CASE("proxy check: no proxy anywhere passes") {
  test::TempSysroot root;
  const auto r = ProxyCheck().run(context(root.env()));
  CHECK(r.id == "proxy");
  CHECK(r.title == "Proxy settings");
  CHECK(r.status == CheckStatus::Pass);
  CHECK(r.findings.empty());
  CHECK(r.summary == "no proxy");
  CHECK(r.facts["sources"].size() == 4);
  CHECK(r.facts["probes"].empty());
}

TEST_CASE("proxy check: an environment proxy on a closed port is unreachable") {
  test::TempSysroot root;
  auto env = root.env();
  env.vars["https_proxy"] = "http://127.0.0.1:" + std::to_string(test::closed_local_port());
  const auto r = ProxyCheck().run(context(env));
  CHECK(r.status == CheckStatus::Fail);
  CHECK(count(r, FindingId::ProxyUnreachable) == 1);
  CHECK(count(r, FindingId::ProxyInUse) == 1);
  CHECK(r.facts["probes"][0]["failure"] == "refused");
}

TEST_CASE("proxy check: a listening proxy is reachable, credentials are flagged but never shown") {
  test::LocalListener proxy;
  test::TempSysroot root;
  auto env = root.env();
  env.vars["https_proxy"] = "http://jdoe:S3cretPw@proxy.corp.example:3128";
  ProxyCheckOptions options;
  options.connect_to.push_back("proxy.corp.example:3128:127.0.0.1:" + std::to_string(proxy.port()));
  const auto r = ProxyCheck(options).run(context(env));
  CHECK(count(r, FindingId::ProxyUnreachable) == 0);
  CHECK(count(r, FindingId::ProxyCredentialsInUrl) == 1);
  CHECK(r.status == CheckStatus::Warn);
  CHECK(r.facts["probes"][0]["reachable"] == true);
  CHECK(r.summary == "https via proxy.corp.example:3128 (https_proxy)");
  const auto text = everything(r);
  CHECK(text.find("S3cretPw") == std::string::npos);
  CHECK(text.find("jdoe") == std::string::npos);
}

TEST_CASE("proxy check on the intercepted fixture: GNOME and the environment agree") {
  test::LocalListener proxy;
  platform::Env env;
  env.sysroot = kIntercepted;
  env.run_programs = true;  // the fixture's stand-in gsettings
  env.vars["HOME"] = "/home/user";
  env.vars["XDG_CURRENT_DESKTOP"] = "ubuntu:GNOME";
  env.vars["http_proxy"] = "http://proxy.corp.example:3128/";
  env.vars["https_proxy"] = "http://proxy.corp.example:3128/";
  env.vars["no_proxy"] = "localhost,127.0.0.1,::1,.corp.example";
  ProxyCheckOptions options;
  options.connect_to.push_back("proxy.corp.example:3128:127.0.0.1:" + std::to_string(proxy.port()));
  const auto r = ProxyCheck(options).run(context(env));
  CHECK(count(r, FindingId::ProxyInUse) == 1);
  CHECK(count(r, FindingId::ProxyUnreachable) == 0);
  CHECK(count(r, FindingId::ProxyCredentialsInUrl) == 0);
  // /etc/environment's NO_PROXY differs from its no_proxy (on purpose, see the fixture README).
  CHECK(count(r, FindingId::ProxyConfigConflict) == 1);
  CHECK(r.facts["desktop"] == "gnome");
  CHECK(r.facts["no_proxy_entries_curl_ignores"][0]["entry"] == "*.corp.example");
  CHECK(r.facts["probes"].size() == 1);
  CHECK(everything(r).find("fixture-secret") == std::string::npos);
}

TEST_CASE("proxy check: a GNOME PAC file served locally, against a direct command line") {
  test::LocalHttpServer pac_server;
  pac_server.set("/proxy.pac", {200, "application/x-ns-proxy-autoconfig",
                                "function FindProxyForURL(url, host) {"
                                " return 'PROXY 127.0.0.1:" + std::to_string(test::closed_local_port()) +
                                    "'; }"});
  pac_server.set("/broken.pac", {200, "text/html", "<html>Sign in to continue</html>"});
  test::TempSysroot root;
  auto env = root.env();
  env.run_programs = true;
  env.vars["XDG_CURRENT_DESKTOP"] = "GNOME";
  const auto gsettings_with = [&](const std::string& pac_url) {
    write_script(root, "/usr/bin/gsettings",
                 "#!/bin/sh\nprintf '%s\\n' \"org.gnome.system.proxy mode 'auto'\" "
                 "\"org.gnome.system.proxy autoconfig-url '" + pac_url + "'\"\n");
  };

  gsettings_with(pac_server.url("/proxy.pac"));
  auto r = ProxyCheck().run(context(env));
  CHECK(count(r, FindingId::ProxyConfigConflict) == 1);  // desktop via PAC proxy, command line direct
  CHECK(count(r, FindingId::ProxyUnreachable) == 1);     // the PAC's proxy is a closed port
  CHECK(count(r, FindingId::ProxyPacFailed) == 0);
  CHECK(r.facts["desktop_answer"]["pac"]["failure"].is_null());

  gsettings_with(pac_server.url("/broken.pac"));
  r = ProxyCheck().run(context(env));
  CHECK(count(r, FindingId::ProxyPacFailed) == 1);
  CHECK(r.status == CheckStatus::Fail);
  CHECK(r.facts["desktop_answer"]["pac"]["failure"] == "not_javascript");
  CHECK(count(r, FindingId::ProxyConfigConflict) == 0);
}

TEST_CASE("proxy check: KDE auto-detection finds a WPAD file through the search domain") {
  test::LocalHttpServer wpad;
  test::LocalListener proxy;
  wpad.set("/wpad.dat", {200, "application/x-ns-proxy-autoconfig",
                         "function FindProxyForURL(url, host) { return 'PROXY wpad-proxy.corp.example:8080'; }"});
  test::TempSysroot root;
  root.write("/home/kim/.config/kioslaverc", "[Proxy Settings]\nProxyType=3\n");
  root.write("/etc/resolv.conf", "search corp.example\n");
  auto env = root.env();
  env.vars["HOME"] = "/home/kim";
  env.vars["XDG_CURRENT_DESKTOP"] = "KDE";
  env.vars["https_proxy"] = "http://wpad-proxy.corp.example:8080";
  ProxyCheckOptions options;
  options.connect_to = {"wpad.corp.example:80:127.0.0.1:" + std::to_string(wpad.port()),
                        "wpad-proxy.corp.example:8080:127.0.0.1:" + std::to_string(proxy.port())};
  auto r = ProxyCheck(options).run(context(env));
  CHECK(r.status == CheckStatus::Pass);
  CHECK(count(r, FindingId::ProxyInUse) == 1);
  CHECK(count(r, FindingId::ProxyPacFailed) == 0);
  CHECK(count(r, FindingId::ProxyConfigConflict) == 0);
  CHECK(r.facts["wpad"]["candidates"][0] == "http://wpad.corp.example/wpad.dat");
  CHECK(wpad.requests() == 1);

  // Nothing serves WPAD: a warning, not a failure.
  root.write("/etc/resolv.conf", "search other.example\n");
  env.vars.erase("https_proxy");
  options.connect_to = {"wpad.other.example:80:127.0.0.1:" + std::to_string(test::closed_local_port())};
  r = ProxyCheck(options).run(context(env));
  CHECK(count(r, FindingId::ProxyPacFailed) == 1);
  CHECK(r.status == CheckStatus::Warn);
}

TEST_CASE("proxy check: a PAC that loops is cut off within the run's deadline") {
  test::TempSysroot root;
  root.write("/etc/loop.pac", "function FindProxyForURL(url, host) { for (;;) {} }");
  root.write("/home/kim/.config/kioslaverc",
             "[Proxy Settings]\nProxyType=2\nProxy Config Script=file:///etc/loop.pac\n");
  auto env = root.env();
  env.vars["HOME"] = "/home/kim";
  const auto started = std::chrono::steady_clock::now();
  const auto r = ProxyCheck().run(Context{env, build_info(), Deadline::after(1000ms)});
  CHECK(std::chrono::steady_clock::now() - started < 3000ms);
  CHECK(count(r, FindingId::ProxyPacFailed) == 1);
  CHECK(r.facts["sources"][3]["answer"]["pac"]["failure"] == "eval_timeout");
}
