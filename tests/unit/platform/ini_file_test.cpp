// Tests for platform/src/ini_file.cpp: groups, KConfig key flags and escapes.
#include <catch2/catch.hpp>

#include "platform/ini_file.h"

using tlsdoctor::platform::parse_ini;

TEST_CASE("ini file: INI groups, keys and the last-one-wins rule") {
  const auto ini = parse_ini(
      "top=1\n# comment\n; other comment\n[Proxy Settings]\n  ProxyType = 1 \n"
      "Proxy Config Script=http://pac/x.pac\nProxyType=2\n[A][B]\nkey=v\nnot a pair\n=novalue\n");
  CHECK(ini.get("", "top") == "1");
  CHECK(ini.get("Proxy Settings", "ProxyType") == "2");
  CHECK(ini.get("Proxy Settings", "Proxy Config Script") == "http://pac/x.pac");
  CHECK(ini.get("A][B", "key") == "v");
  CHECK_FALSE(ini.get("Proxy Settings", "missing").has_value());
  CHECK(ini.entries.size() == 5);
  CHECK(ini.entries[1].line == 5);
}

TEST_CASE("ini file: KConfig flags in keys and escapes in values") {
  const auto ini = parse_ini("[g]\r\nhttpProxy[$e]=http://p 8080\r\nname[de]=x\r\npad=\\sa\\tb\\\\c\\q\n");
  CHECK(ini.get("g", "httpProxy") == "http://p 8080");
  CHECK(ini.get("g", "name") == "x");
  CHECK(ini.get("g", "pad") == " a\tb\\c\\q");
}

TEST_CASE("ini file: an empty or garbage file gives no entries") {
  CHECK(parse_ini("").entries.empty());
  CHECK(parse_ini("\n\n[unterminated\n[]\n").entries.empty());
}
