// Tests for platform/src/environment_file.cpp: /etc/environment as pam_env reads it.
#include <catch2/catch.hpp>

#include "platform/environment_file.h"

using tlsdoctor::platform::parse_environment_file;

TEST_CASE("environment file: KEY=value lines with quotes, export and comments") {
  const auto vars = parse_environment_file(
      "# header\n\nPATH=\"/usr/bin:/bin\"\n  export https_proxy='http://p:3128'\n"
      "no_proxy=a,b \nBAD NAME=x\n1X=y\nnoequals\nEMPTY=\nHALF=\"open\n");
  REQUIRE(vars.size() == 5);
  CHECK(vars[0].name == "PATH");
  CHECK(vars[0].value == "/usr/bin:/bin");
  CHECK(vars[1].name == "https_proxy");
  CHECK(vars[1].value == "http://p:3128");
  CHECK(vars[1].line == 4);
  CHECK(vars[2].value == "a,b");
  CHECK(vars[3].name == "EMPTY");
  CHECK(vars[3].value.empty());
  CHECK(vars[4].value == "\"open");  // unmatched quote kept as written
}

TEST_CASE("environment file: an empty file has no assignments") { CHECK(parse_environment_file("").empty()); }
