// Tests for platform/os_release: KEY=value lines with shell quoting undone.
#include <catch2/catch.hpp>

#include "platform/os_release.h"

using tlsdoctor::platform::parse_os_release;

TEST_CASE("os-release: keys, quoting and comments", "[os_release]") {
  const auto values = parse_os_release(
      "# comment\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\n  VERSION_ID='12'  \r\n"
      "NAME=\"Say \\\"hi\\\"\"\n=nokey\nnoequals\nID=debian2\n");
  CHECK(values.at("PRETTY_NAME") == "Debian GNU/Linux 12 (bookworm)");
  CHECK(values.at("VERSION_ID") == "12");
  CHECK(values.at("NAME") == "Say \"hi\"");
  CHECK(values.at("ID") == "debian2");  // the last assignment wins
  CHECK(values.size() == 4);
}
