// Tests for platform/src/gsettings_text.cpp: the listing and GVariant literals.
#include <catch2/catch.hpp>

#include "platform/gsettings_text.h"

using namespace tlsdoctor::platform;

TEST_CASE("gsettings text: gsettings listing lines split into schema, key and value") {
  const auto lines = parse_gsettings_listing(
      "org.gnome.system.proxy mode 'manual'\n"
      "org.gnome.system.proxy ignore-hosts ['localhost', '127.0.0.0/8']\n"
      "garbage\n\norg.gnome.system.proxy.http port 3128\n");
  REQUIRE(lines.size() == 3);
  CHECK(lines[0].schema == "org.gnome.system.proxy");
  CHECK(lines[0].key == "mode");
  CHECK(lines[0].value == "'manual'");
  CHECK(lines[1].value == "['localhost', '127.0.0.0/8']");
  CHECK(lines[2].value == "3128");
}

TEST_CASE("gsettings text: GVariant string literals") {
  CHECK(gvariant_string("'proxy.corp'") == "proxy.corp");
  CHECK(gvariant_string("\"it's\"") == "it's");
  CHECK(gvariant_string("'a\\'b\\\\c'") == "a'b\\c");
  CHECK(gvariant_string("''") == "");
  CHECK_FALSE(gvariant_string("3128").has_value());
  CHECK_FALSE(gvariant_string("'open").has_value());
  CHECK_FALSE(gvariant_string("'a' extra").has_value());
}

TEST_CASE("gsettings text: GVariant string arrays") {
  CHECK(gvariant_string_array("['localhost', '127.0.0.0/8', '::1']") ==
        std::vector<std::string>{"localhost", "127.0.0.0/8", "::1"});
  CHECK(gvariant_string_array("@as []") == std::vector<std::string>{});
  CHECK(gvariant_string_array("[]") == std::vector<std::string>{});
  CHECK(gvariant_string_array("['a,b', \"c'd\"]") == std::vector<std::string>{"a,b", "c'd"});
  CHECK_FALSE(gvariant_string_array("'x'").has_value());
  CHECK_FALSE(gvariant_string_array("[1, 2]").has_value());
}
