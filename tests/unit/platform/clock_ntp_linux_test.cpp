// Tests for platform/src/clock_ntp_linux.cpp: NTP clients found in the fixture sysroots.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "platform/clock.h"
#include "temp_sysroot.h"

namespace platform = tlsdoctor::platform;
using tlsdoctor::test::TempSysroot;

namespace {

platform::NtpFacts ntp_of(const std::string& sysroot) {
  platform::Env env;
  env.sysroot = std::string(TLSDOCTOR_FIXTURES_DIR) + "/" + sysroot;
  env.run_programs = false;
  return platform::ntp_facts(env);
}

using Servers = std::vector<std::string>;

}  // namespace

TEST_CASE("NTP: the client of each fixture sysroot", "[clock][ntp]") {
  SECTION("Debian: systemd-timesyncd, enabled, with NTP= servers") {
    const auto ntp = ntp_of("sysroot-debian");
    CHECK(ntp.systemd);
    CHECK(ntp.errors.empty());
    REQUIRE(ntp.clients.size() == 1);
    const auto& c = ntp.clients.front();
    CHECK(c.name == "systemd-timesyncd");
    CHECK(c.config_path == "/etc/systemd/timesyncd.conf");
    CHECK(c.unit == "systemd-timesyncd.service");
    CHECK(c.unit_installed);
    CHECK(c.unit_enabled);
    CHECK_FALSE(c.unit_masked);
    CHECK(c.servers == Servers{"ntp.example.net", "time.example.net"});
  }
  SECTION("RHEL legacy: chrony from /etc/chrony.conf") {
    const auto ntp = ntp_of("sysroot-rhel-legacy");
    REQUIRE(ntp.clients.size() == 1);
    const auto& c = ntp.clients.front();
    CHECK(c.name == "chrony");
    CHECK(c.config_path == "/etc/chrony.conf");
    CHECK(c.unit_installed);
    CHECK(c.unit_enabled);  // through the chronyd.service name
    CHECK(c.servers == Servers{"2.rhel.pool.ntp.org", "ntp1.example.com"});
  }
  SECTION("RHEL future: ntpd from /etc/ntp.conf") {
    const auto ntp = ntp_of("sysroot-rhel-future");
    REQUIRE(ntp.clients.size() == 1);
    const auto& c = ntp.clients.front();
    CHECK(c.name == "ntpd");
    CHECK(c.config_path == "/etc/ntp.conf");
    CHECK(c.unit_enabled);
    CHECK(c.servers == Servers{"0.rhel.pool.ntp.org", "1.rhel.pool.ntp.org"});
  }
  SECTION("intercepted: OpenNTPD, 'servers' and 'server' lines") {
    const auto ntp = ntp_of("sysroot-intercepted");
    REQUIRE(ntp.clients.size() == 1);
    const auto& c = ntp.clients.front();
    CHECK(c.name == "openntpd");
    CHECK(c.config_path == "/etc/openntpd/ntpd.conf");
    CHECK(c.unit_installed);
    CHECK(c.unit_enabled);
    CHECK(c.servers == Servers{"ntp.corp.example", "192.0.2.123"});
  }
  SECTION("broken: timesyncd installed but masked, nothing configured") {
    const auto ntp = ntp_of("sysroot-broken");
    REQUIRE(ntp.clients.size() == 1);
    const auto& c = ntp.clients.front();
    CHECK(c.name == "systemd-timesyncd");
    CHECK_FALSE(c.config_path);
    CHECK(c.unit_installed);
    CHECK(c.unit_masked);
    CHECK_FALSE(c.unit_enabled);
    CHECK(c.servers.empty());
  }
}

TEST_CASE("NTP: timesyncd drop-ins and fallbacks", "[clock][ntp]") {
  TempSysroot root;
  root.write("/etc/systemd/timesyncd.conf", "[Time]\nNTP=a.example\n");
  SECTION("a drop-in resets and replaces NTP=") {
    root.write("/etc/systemd/timesyncd.conf.d/50-site.conf", "[Time]\nNTP=\nNTP=b.example c.example\n");
    const auto ntp = platform::ntp_facts(root.env());
    REQUIRE(ntp.clients.size() == 1);
    CHECK(ntp.clients.front().servers == Servers{"b.example", "c.example"});
  }
  SECTION("with NTP= empty the fallback list is what timesyncd uses") {
    root.write("/etc/systemd/timesyncd.conf.d/50-site.conf", "[Time]\nNTP=\nFallbackNTP=f.example\n");
    const auto ntp = platform::ntp_facts(root.env());
    REQUIRE(ntp.clients.size() == 1);
    CHECK(ntp.clients.front().servers == Servers{"f.example"});
  }
  SECTION("without /etc/systemd/system, units cannot decide") {
    const auto ntp = platform::ntp_facts(root.env());
    CHECK_FALSE(ntp.systemd);
    REQUIRE(ntp.clients.size() == 1);
    CHECK_FALSE(ntp.clients.front().unit_enabled);
  }
}

TEST_CASE("NTP: several clients, Debian paths, and none at all", "[clock][ntp]") {
  TempSysroot root;
  SECTION("nothing installed") {
    const auto ntp = platform::ntp_facts(root.env());
    CHECK(ntp.clients.empty());
    CHECK(ntp.errors.empty());
  }
  SECTION("chrony's Debian path and an alias link enable it") {
    root.write("/etc/chrony/chrony.conf", "pool 2.debian.pool.ntp.org iburst\n# server commented.example\n");
    root.write("/lib/systemd/system/chrony.service", "[Unit]\n");
    root.link("/etc/systemd/system/chronyd.service", "/lib/systemd/system/chrony.service");
    root.write("/etc/ntpsec/ntp.conf", "pool 0.debian.pool.ntp.org iburst\n");
    const auto ntp = platform::ntp_facts(root.env());
    REQUIRE(ntp.clients.size() == 2);
    const auto& chrony = ntp.clients[0];
    CHECK(chrony.name == "chrony");
    CHECK(chrony.config_path == "/etc/chrony/chrony.conf");
    CHECK(chrony.unit_enabled);
    CHECK(chrony.servers == Servers{"2.debian.pool.ntp.org"});
    const auto& ntpd = ntp.clients[1];
    CHECK(ntpd.name == "ntpd");
    CHECK(ntpd.config_path == "/etc/ntpsec/ntp.conf");
    CHECK_FALSE(ntpd.unit_enabled);
  }
}
