// Tests for core/utf8: RFC 3629 validity and the \xNN escaping of bytes that are not UTF-8.
#include <catch2/catch.hpp>

#include <string>

#include "core/utf8.h"

using tlsdoctor::escape_invalid_utf8;
using tlsdoctor::is_valid_utf8;

TEST_CASE("utf8: well-formed text of every sequence length is valid", "[utf8]") {
  CHECK(is_valid_utf8(""));
  CHECK(is_valid_utf8("plain ascii"));
  CHECK(is_valid_utf8("caf\xC3\xA9"));              // é, two bytes
  CHECK(is_valid_utf8("\xE2\x82\xAC"));             // €, three bytes
  CHECK(is_valid_utf8("\xF0\x9F\x94\x92"));         // 🔒, four bytes
  CHECK(is_valid_utf8("\xF4\x8F\xBF\xBF"));         // U+10FFFF, the last code point
}

TEST_CASE("utf8: overlong forms, surrogates, code points past U+10FFFF and cut sequences are not", "[utf8]") {
  CHECK_FALSE(is_valid_utf8("caf\xE9"));            // Latin-1
  CHECK_FALSE(is_valid_utf8("\xC0\xAF"));           // overlong '/'
  CHECK_FALSE(is_valid_utf8("\xE0\x80\xAF"));       // overlong, three bytes
  CHECK_FALSE(is_valid_utf8("\xED\xA0\x80"));       // a surrogate (U+D800)
  CHECK_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));   // U+110000
  CHECK_FALSE(is_valid_utf8("\xE2\x82"));           // cut short
  CHECK_FALSE(is_valid_utf8("\x80"));               // a continuation byte alone
  CHECK_FALSE(is_valid_utf8("\xFF"));
}

TEST_CASE("utf8: escaping keeps valid text and writes each bad byte in hex", "[utf8]") {
  CHECK(escape_invalid_utf8("caf\xC3\xA9") == "caf\xC3\xA9");
  CHECK(escape_invalid_utf8("caf\xE9") == "caf\\xE9");
  CHECK(escape_invalid_utf8("\xE2\x82 ok \xE2\x82\xAC") == "\\xE2\\x82 ok \xE2\x82\xAC");
  CHECK(is_valid_utf8(escape_invalid_utf8("\xFF\xFE\x80\xC0")));
  // Text that looks like an escape stays apart from the byte it names once anything is escaped.
  CHECK(escape_invalid_utf8("a\\xE9") == "a\\xE9");
  CHECK(escape_invalid_utf8("a\\xE9 \xE9") == "a\\x5CxE9 \\xE9");
}
