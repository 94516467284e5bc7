// Tests for platform/src/proxy_settings_linux.cpp against fixture sysroots and throw-away trees.
#include <catch2/catch.hpp>

#include <filesystem>

#include "platform/proxy_settings.h"
#include "unit/platform/temp_sysroot.h"

using namespace tlsdoctor;
using platform::DesktopProxyMode;
using platform::ProxyRole;
using platform::ProxySourceKind;

namespace {

const std::filesystem::path kIntercepted = std::filesystem::path(TLSDOCTOR_FIXTURES_DIR) /
                                           "sysroot-intercepted";

platform::Env fixture_env(const std::filesystem::path& root, bool run_programs) {
  platform::Env env;
  env.sysroot = root;
  env.run_programs = run_programs;
  env.vars["HOME"] = "/home/user";
  return env;
}

// A stand-in program under a throw-away sysroot's /usr/bin.
void write_script(const test::TempSysroot& root, std::string_view absolute, std::string_view body) {
  root.write(absolute, body);
  std::filesystem::permissions(root.at(absolute), std::filesystem::perms::owner_all);
}

}  // namespace

TEST_CASE("proxy settings: environment variables are read in both spellings, empty ones kept") {
  test::TempSysroot root;
  auto env = root.env();
  env.vars["https_proxy"] = "http://a.example:3128";
  env.vars["HTTPS_PROXY"] = "http://b.example:3128";
  env.vars["HTTP_PROXY"] = "http://c.example:8080";
  env.vars["no_proxy"] = "";
  env.vars["PATH"] = "/usr/bin";
  const auto settings = platform::read_proxy_settings(env);
  const auto& src = settings.source(ProxySourceKind::ProcessEnvironment);
  REQUIRE(src.readable);
  REQUIRE(src.entries.size() == 4);
  CHECK(src.find_key("https_proxy")->value == "http://a.example:3128");
  CHECK(src.find_key("HTTPS_PROXY")->value == "http://b.example:3128");
  CHECK(src.find_key("HTTP_PROXY")->role == ProxyRole::Http);
  CHECK(src.find_key("http_proxy") == nullptr);
  CHECK(src.find_key("no_proxy")->value.empty());
  CHECK(src.find_key("PATH") == nullptr);
}

TEST_CASE("proxy settings: /etc/environment of the intercepted fixture") {
  const auto settings = platform::read_proxy_settings(fixture_env(kIntercepted, false));
  const auto& src = settings.source(ProxySourceKind::EtcEnvironment);
  REQUIRE(src.readable);
  CHECK(src.origin == "/etc/environment");
  CHECK(src.find_key("https_proxy")->value == "http://proxy.corp.example:3128/");  // quotes gone
  CHECK(src.find_key("HTTPS_PROXY")->role == ProxyRole::Https);
  CHECK(src.find_key("ftp_proxy")->value == "http://proxy.corp.example:3128/");  // export, ''
  CHECK(src.find_key("NO_PROXY")->value == "localhost,127.0.0.1,::1,*.corp.example");
  CHECK(src.find_key("PATH") == nullptr);  // not a proxy variable
}

TEST_CASE("proxy settings: a missing /etc/environment is a reason, not an error") {
  test::TempSysroot root;
  const auto settings = platform::read_proxy_settings(root.env());
  const auto& src = settings.source(ProxySourceKind::EtcEnvironment);
  CHECK_FALSE(src.readable);
  CHECK(src.unavailable_reason == "no such file");
  CHECK(settings.sources.size() == 4);
}

TEST_CASE("proxy settings: GNOME settings through the fixture's stand-in gsettings") {
  const auto settings = platform::read_proxy_settings(fixture_env(kIntercepted, true));
  const auto& gnome = settings.source(ProxySourceKind::Gnome);
  REQUIRE(gnome.readable);
  CHECK(gnome.mode == DesktopProxyMode::Manual);
  CHECK(gnome.mode_raw == "manual");
  CHECK(gnome.find_role(ProxyRole::Https)->value == "proxy.corp.example:3128");
  CHECK(gnome.find_role(ProxyRole::Http)->key == "org.gnome.system.proxy.http host:port");
  CHECK(gnome.find_role(ProxyRole::NoProxy)->value == "localhost,127.0.0.0/8,::1,*.corp.example");
  CHECK(gnome.find_role(ProxyRole::Socks) == nullptr);  // host ''
  CHECK(gnome.find_role(ProxyRole::PacUrl) == nullptr);
  CHECK(gnome.find_key("org.gnome.system.proxy.http use-authentication")->value == "true");
  for (const auto& e : gnome.entries) {
    CHECK(e.value.find("fixture-secret") == std::string::npos);
    CHECK(e.value.find("jdoe") == std::string::npos);
  }
  CHECK_FALSE(settings.wpad_requested);
}

TEST_CASE("proxy settings: GNOME unavailable: no gsettings, programs off, schema missing") {
  test::TempSysroot root;
  auto env = root.env();
  env.run_programs = true;
  auto settings = platform::read_proxy_settings(env);
  CHECK_FALSE(settings.source(ProxySourceKind::Gnome).readable);
  CHECK(settings.source(ProxySourceKind::Gnome).unavailable_reason == "gsettings is not installed");

  write_script(root, "/usr/bin/gsettings", "#!/bin/sh\necho 'No such schema' >&2\nexit 1\n");
  settings = platform::read_proxy_settings(env);
  CHECK_FALSE(settings.source(ProxySourceKind::Gnome).readable);
  CHECK_THAT(settings.source(ProxySourceKind::Gnome).unavailable_reason,
             Catch::Contains("schema org.gnome.system.proxy is not installed"));

  env.run_programs = false;
  settings = platform::read_proxy_settings(env);
  CHECK_THAT(settings.source(ProxySourceKind::Gnome).unavailable_reason,
             Catch::Contains("turned off"));
}

TEST_CASE("proxy settings: GNOME auto mode: a PAC URL, or WPAD from the resolv.conf search domain") {
  test::TempSysroot root;
  auto env = root.env();
  env.run_programs = true;
  write_script(root, "/usr/bin/gsettings",
               "#!/bin/sh\nprintf '%s\\n' \"org.gnome.system.proxy mode 'auto'\" "
               "\"org.gnome.system.proxy autoconfig-url 'http://pac.corp.example/proxy.pac'\" "
               "\"org.gnome.system.proxy ignore-hosts @as []\"\n");
  auto settings = platform::read_proxy_settings(env);
  const auto& gnome = settings.source(ProxySourceKind::Gnome);
  CHECK(gnome.mode == DesktopProxyMode::PacUrl);
  CHECK(gnome.find_role(ProxyRole::PacUrl)->value == "http://pac.corp.example/proxy.pac");
  CHECK(gnome.find_role(ProxyRole::NoProxy) == nullptr);
  CHECK_FALSE(settings.wpad_requested);

  write_script(root, "/usr/bin/gsettings",
               "#!/bin/sh\nprintf '%s\\n' \"org.gnome.system.proxy mode 'auto'\" "
               "\"org.gnome.system.proxy autoconfig-url ''\"\n");
  settings = platform::read_proxy_settings(env);
  CHECK(settings.source(ProxySourceKind::Gnome).mode == DesktopProxyMode::AutoDetect);
  CHECK(settings.wpad_requested);
  CHECK(settings.wpad_urls.empty());
  CHECK_THAT(settings.wpad_unavailable_reason, Catch::Contains("/etc/resolv.conf"));

  root.write("/etc/resolv.conf", "nameserver 192.0.2.53\nsearch eng.corp.example corp.example\n");
  settings = platform::read_proxy_settings(env);
  REQUIRE(settings.wpad_urls.size() == 2);
  CHECK(settings.wpad_urls[0] == "http://wpad.eng.corp.example/wpad.dat");
  CHECK(settings.wpad_urls[1] == "http://wpad.corp.example/wpad.dat");
  CHECK(settings.wpad_unavailable_reason.empty());
}

TEST_CASE("proxy settings: KDE kioslaverc: manual, PAC, WPAD and environment modes") {
  test::TempSysroot root;
  auto env = root.env();
  env.vars["HOME"] = "/home/kim";

  auto settings = platform::read_proxy_settings(env);
  CHECK_FALSE(settings.source(ProxySourceKind::Kde).readable);
  CHECK(settings.source(ProxySourceKind::Kde).origin == "/home/kim/.config/kioslaverc");

  root.write("/home/kim/.config/kioslaverc",
             "[Proxy Settings]\nProxyType=1\nhttpProxy=http://proxy.corp.example 3128\n"
             "httpsProxy[$e]=http://proxy.corp.example 3129\nsocksProxy=\n"
             "NoProxyFor=localhost,.corp.example\nReversedException=false\n"
             "Proxy Config Script=\n\n[Other]\nhttpsProxy=ignored\n");
  settings = platform::read_proxy_settings(env);
  const auto& kde = settings.source(ProxySourceKind::Kde);
  REQUIRE(kde.readable);
  CHECK(kde.mode == DesktopProxyMode::Manual);
  CHECK(kde.mode_raw == "1");
  CHECK(kde.find_key("httpsProxy")->value == "http://proxy.corp.example 3129");
  CHECK(kde.find_key("NoProxyFor")->role == ProxyRole::NoProxy);
  CHECK(kde.find_key("socksProxy")->value.empty());
  CHECK_FALSE(kde.find_key("httpsProxy")->variable_value.has_value());

  root.write("/home/kim/.config/kioslaverc",
             "[Proxy Settings]\nProxyType=2\nProxy Config Script=file:///etc/proxy.pac\n");
  settings = platform::read_proxy_settings(env);
  CHECK(settings.source(ProxySourceKind::Kde).mode == DesktopProxyMode::PacUrl);
  CHECK(settings.source(ProxySourceKind::Kde).find_role(ProxyRole::PacUrl)->value ==
        "file:///etc/proxy.pac");

  root.write("/home/kim/.config/kioslaverc", "[Proxy Settings]\nProxyType=3\n");
  root.write("/etc/resolv.conf", "domain corp.example\n");
  settings = platform::read_proxy_settings(env);
  CHECK(settings.source(ProxySourceKind::Kde).mode == DesktopProxyMode::AutoDetect);
  CHECK(settings.wpad_requested);
  CHECK(settings.wpad_urls == std::vector<std::string>{"http://wpad.corp.example/wpad.dat"});

  root.write("/home/kim/.config/kioslaverc",
             "[Proxy Settings]\nProxyType=4\nhttpsProxy=HTTPS_PROXY\nhttpProxy=http_proxy\n");
  env.vars["HTTPS_PROXY"] = "http://env.example:8080";
  settings = platform::read_proxy_settings(env);
  const auto& from_env = settings.source(ProxySourceKind::Kde);
  CHECK(from_env.mode == DesktopProxyMode::FromEnvironment);
  CHECK(from_env.find_key("httpsProxy")->value == "HTTPS_PROXY");
  CHECK(from_env.find_key("httpsProxy")->variable_value == "http://env.example:8080");
  CHECK_FALSE(from_env.find_key("httpProxy")->variable_value.has_value());  // unset
}

TEST_CASE("proxy settings: KDE config follows XDG_CONFIG_HOME") {
  test::TempSysroot root;
  auto env = root.env();
  env.vars["HOME"] = "/home/kim";
  env.vars["XDG_CONFIG_HOME"] = "/srv/config";
  root.write("/srv/config/kioslaverc", "[Proxy Settings]\nProxyType=0\n");
  const auto settings = platform::read_proxy_settings(env);
  CHECK(settings.source(ProxySourceKind::Kde).origin == "/srv/config/kioslaverc");
  CHECK(settings.source(ProxySourceKind::Kde).mode == DesktopProxyMode::None);
}

TEST_CASE("proxy settings: the current desktop is recorded as set") {
  test::TempSysroot root;
  auto env = root.env();
  env.vars["XDG_CURRENT_DESKTOP"] = "ubuntu:GNOME";
  CHECK(platform::read_proxy_settings(env).current_desktop == "ubuntu:GNOME");
  CHECK(platform::to_string(ProxySourceKind::EtcEnvironment) == "etc_environment");
  CHECK(platform::to_string(DesktopProxyMode::AutoDetect) == "auto_detect");
  CHECK(platform::to_string(ProxyRole::NoProxy) == "no_proxy");
}
