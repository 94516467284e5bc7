// Tests for platform/src/system_info_linux.cpp: os-release in the fixtures, uname, the user's name.
#include <catch2/catch.hpp>

#include <string>

#include "platform/system_info.h"
#include "temp_sysroot.h"

namespace platform = tlsdoctor::platform;
using tlsdoctor::test::TempSysroot;

namespace {

platform::Env fixture(const std::string& name) {
  platform::Env env;
  env.sysroot = std::string(TLSDOCTOR_FIXTURES_DIR) + "/" + name;
  env.run_programs = false;
  env.vars["USER"] = "fixture-user";
  return env;
}

}  // namespace

TEST_CASE("system info: os-release of each fixture sysroot", "[system_info]") {
  struct Expected {
    const char* sysroot;
    const char* id;
    const char* version;
    const char* pretty;
    const char* path;
  };
  const Expected cases[] = {
      {"sysroot-debian", "debian", "12", "Debian GNU/Linux 12 (bookworm)", "/etc/os-release"},
      {"sysroot-rhel-legacy", "rhel", "9.4", "Red Hat Enterprise Linux 9.4 (Plow)", "/etc/os-release"},
      {"sysroot-rhel-future", "rhel", "9.4", "Red Hat Enterprise Linux 9.4 (Plow)", "/etc/os-release"},
      {"sysroot-intercepted", "ubuntu", "22.04", "Ubuntu 22.04.4 LTS", "/etc/os-release"},
      // No /etc/os-release: the vendor file is the fallback.
      {"sysroot-broken", "debian", "11", "Debian GNU/Linux 11 (bullseye)", "/usr/lib/os-release"},
  };
  for (const auto& c : cases) {
    INFO(c.sysroot);
    const auto info = platform::system_info(fixture(c.sysroot));
    CHECK(info.errors.empty());
    CHECK(info.os_id == c.id);
    CHECK(info.os_version == c.version);
    CHECK(info.os_pretty_name == c.pretty);
    CHECK(info.os_release_path == c.path);
    CHECK_FALSE(info.os_name.empty());
    CHECK(info.user_name == "fixture-user");
  }
  CHECK(platform::system_info(fixture("sysroot-rhel-legacy")).os_id_like == "fedora");
  CHECK(platform::system_info(fixture("sysroot-intercepted")).os_id_like == "debian");
}

TEST_CASE("system info: os-release quoting and defaults", "[system_info]") {
  TempSysroot root;
  SECTION("escapes, single quotes, comments, CRLF") {
    root.write("/etc/os-release",
               "# comment\r\nNAME='My \"Linux\"'\r\nPRETTY_NAME=\"A \\\"quoted\\\" \\$name\"\r\nID=mine\r\n");
    const auto info = platform::system_info(root.env());
    CHECK(info.os_name == "My \"Linux\"");
    CHECK(info.os_pretty_name == "A \"quoted\" $name");
    CHECK(info.os_id == "mine");
  }
  SECTION("ID and NAME default as os-release(5) says") {
    root.write("/etc/os-release", "VERSION_ID=1\n");
    const auto info = platform::system_info(root.env());
    CHECK(info.os_id == "linux");
    CHECK(info.os_name == "Linux");
  }
  SECTION("no os-release at all is an error naming the file") {
    const auto info = platform::system_info(root.env());
    REQUIRE(info.errors.size() == 1);
    CHECK(info.errors.front().input == "/etc/os-release");
    CHECK_FALSE(info.os_release_path);
  }
}

TEST_CASE("system info: kernel and names from the running system", "[system_info]") {
  TempSysroot root;
  auto env = root.env();
  const auto info = platform::system_info(env);
  CHECK(info.kernel_name == "Linux");
  CHECK_FALSE(info.kernel_release.empty());
  CHECK_FALSE(info.architecture.empty());
  CHECK_FALSE(info.host_name.empty());
  // No $USER or $LOGNAME in this Env: the passwd entry of the effective user.
  CHECK_FALSE(info.user_name.empty());

  env.vars["LOGNAME"] = "from-logname";
  CHECK(platform::system_info(env).user_name == "from-logname");
  env.vars["USER"] = "from-user";
  CHECK(platform::system_info(env).user_name == "from-user");
}
