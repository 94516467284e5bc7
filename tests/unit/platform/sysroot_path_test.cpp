// Tests for platform/src/sysroot_path.cpp: link resolution that never leaves the sysroot.
#include <catch2/catch.hpp>

#include "platform/sysroot_path.h"
#include "temp_sysroot.h"

using tlsdoctor::platform::resolve_in_sysroot;
using tlsdoctor::test::TempSysroot;

TEST_CASE("sysroot links: relative and absolute targets stay inside the sysroot", "[sysroot_path]") {
  TempSysroot root;
  root.write("/usr/share/zoneinfo/Europe/Berlin", "zone");
  root.link("/etc/relative", "../usr/share/zoneinfo/Europe/Berlin");
  root.link("/etc/absolute", "/usr/share/zoneinfo/Europe/Berlin");
  root.link("/usr/share/zoneinfo/CET", "Europe/Berlin");  // a link to a link
  root.link("/etc/chain", "/usr/share/zoneinfo/CET");
  const auto env = root.env();

  for (const char* path : {"/etc/relative", "/etc/absolute", "/etc/chain"}) {
    INFO(path);
    auto resolved = resolve_in_sysroot(env, path);
    REQUIRE(resolved);
    CHECK(resolved->exists);
    CHECK(resolved->path == "/usr/share/zoneinfo/Europe/Berlin");
  }
  auto plain = resolve_in_sysroot(env, "/usr/share/zoneinfo/Europe/Berlin");
  REQUIRE(plain);
  CHECK(plain->exists);
}

TEST_CASE("sysroot links: dangling links, loops and escapes", "[sysroot_path]") {
  TempSysroot root;
  root.write("/etc/hostname", "box");
  root.link("/etc/dangling", "../usr/share/zoneinfo/Europe/Atlantis");
  root.link("/etc/loop-a", "loop-b");
  root.link("/etc/loop-b", "loop-a");
  root.link("/etc/escape", "../../../../../../etc/hostname");
  const auto env = root.env();

  SECTION("a dangling link reports where it ends") {
    auto resolved = resolve_in_sysroot(env, "/etc/dangling");
    REQUIRE(resolved);
    CHECK_FALSE(resolved->exists);
    CHECK(resolved->path == "/usr/share/zoneinfo/Europe/Atlantis");
  }
  SECTION("a loop is an error, not a hang") {
    auto resolved = resolve_in_sysroot(env, "/etc/loop-a");
    REQUIRE_FALSE(resolved);
    CHECK(resolved.error().message == "too many levels of symbolic links");
  }
  SECTION("'..' never climbs above the sysroot") {
    auto resolved = resolve_in_sysroot(env, "/etc/escape");
    REQUIRE(resolved);
    CHECK(resolved->exists);
    CHECK(resolved->path == "/etc/hostname");
  }
  SECTION("a file used as a directory does not exist") {
    auto resolved = resolve_in_sysroot(env, "/etc/hostname/more");
    REQUIRE(resolved);
    CHECK_FALSE(resolved->exists);
  }
  SECTION("a missing path") {
    auto resolved = resolve_in_sysroot(env, "/no/such/file");
    REQUIRE(resolved);
    CHECK_FALSE(resolved->exists);
    CHECK(resolved->path == "/no/such/file");
  }
}

TEST_CASE("sysroot links: the fixture trees", "[sysroot_path]") {
  tlsdoctor::platform::Env env;
  env.sysroot = std::string(TLSDOCTOR_FIXTURES_DIR) + "/sysroot-debian";
  auto resolved = resolve_in_sysroot(env, "/etc/os-release");
  REQUIRE(resolved);
  CHECK(resolved->exists);
  CHECK(resolved->path == "/usr/lib/os-release");
}
