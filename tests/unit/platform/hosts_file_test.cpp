// Tests for platform/hosts_file: the table's lines, lookups by name, and reading it under a sysroot.
#include <catch2/catch.hpp>

#include "platform/hosts_file.h"
#include "temp_sysroot.h"

using namespace tlsdoctor::platform;

TEST_CASE("hosts file: entries, aliases, comments and blank lines", "[hosts]") {
  const auto entries = parse_hosts_file(
      "# static table\n"
      "127.0.0.1\tlocalhost\n"
      "\n"
      "192.0.2.10  Intranet.Example.Test  intranet   # the wiki\n"
      "198.51.100.7\n"
      "   2001:db8::5 v6.example.test\r\n"
      "203.0.113.9 last.example.test");
  REQUIRE(entries.size() == 4);
  CHECK(entries[1].address == "192.0.2.10");
  CHECK(entries[1].names == std::vector<std::string>{"Intranet.Example.Test", "intranet"});
  CHECK(entries[1].line == 4);
  CHECK(entries[2].address == "2001:db8::5");
  CHECK(entries[3].names == std::vector<std::string>{"last.example.test"});
}

TEST_CASE("hosts file: lookups ignore case and a final dot, and keep every address in order", "[hosts]") {
  const auto entries = parse_hosts_file("192.0.2.10 intranet.example.test\n192.0.2.11 other\n2001:db8::1 INTRANET.example.test\n");
  CHECK(hosts_addresses(entries, "intranet.example.test.") == std::vector<std::string>{"192.0.2.10", "2001:db8::1"});
  CHECK(hosts_addresses(entries, "Other") == std::vector<std::string>{"192.0.2.11"});
  CHECK(hosts_addresses(entries, "missing.example.test").empty());
}

TEST_CASE("hosts file: read under the sysroot, a missing file is an error naming it", "[hosts]") {
  tlsdoctor::test::TempSysroot root;
  CHECK_FALSE(hosts_entries(root.env()));
  CHECK(hosts_entries(root.env()).error().input.find("/etc/hosts") != std::string::npos);
  root.write("/etc/hosts", "10.9.8.7 pinned.example.test\n");
  const auto entries = hosts_entries(root.env());
  REQUIRE(entries);
  CHECK(hosts_addresses(*entries, "pinned.example.test") == std::vector<std::string>{"10.9.8.7"});
}
