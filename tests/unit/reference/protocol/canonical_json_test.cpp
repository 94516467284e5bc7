// Tests for reference/protocol/canonical_json.cpp: exact bytes, refused floats and bad UTF-8, bounded parsing.
#include <catch2/catch.hpp>

#include <string>

#include "reference/protocol/canonical_json.h"

using namespace tlsdoctor::reference;
using nlohmann::json;

TEST_CASE("canonical JSON: sorted keys, no whitespace, minimal escapes, raw UTF-8", "[canonical_json]") {
  const json value = json::parse(R"({"z": 1, "a": [true, null, -5], "m": {"y": "é\n\"\\/\u0001", "b": ""}})");
  const auto bytes = canonical_json(value);
  REQUIRE(bytes);
  CHECK(*bytes == "{\"a\":[true,null,-5],\"m\":{\"b\":\"\",\"y\":\"\xC3\xA9\\n\\\"\\\\/\\u0001\"},\"z\":1}");
  // Key order is by bytes: upper case before lower case, shorter prefix first.
  CHECK(*canonical_json(json{{"b", 1}, {"B", 2}, {"ba", 3}}) == R"({"B":2,"b":1,"ba":3})");
  // The same value always gives the same bytes, whatever order it was built in.
  const json other = json::parse(R"({"m": {"b": "", "y": "é\n\"\\/\u0001"}, "a": [true, null, -5], "z": 1})");
  CHECK(*canonical_json(other) == *bytes);
}

TEST_CASE("canonical JSON refuses floats (with their path) and invalid UTF-8", "[canonical_json]") {
  const auto with_float = canonical_json(json{{"probes", json::array({json{{"ms", 1.5}}})}});
  REQUIRE_FALSE(with_float);
  CHECK(with_float.error().input == "/probes/0/ms");
  const auto bad_utf8 = canonical_json(json{{"name", std::string("\xff\xfe")}});
  REQUIRE_FALSE(bad_utf8);
  CHECK_THAT(bad_utf8.error().message, Catch::Contains("UTF-8"));
  CHECK(canonical_json(json{{"big", 9007199254740993LL}}).value() == R"({"big":9007199254740993})");
}

TEST_CASE("parse_json bounds size and depth and names what it parsed", "[canonical_json]") {
  CHECK(parse_json(R"({"a":1})", 100, "echo answer").value()["a"] == 1);
  const auto too_big = parse_json(std::string(200, ' '), 100, "echo answer");
  REQUIRE_FALSE(too_big);
  CHECK(too_big.error().input == "echo answer");
  CHECK_THAT(too_big.error().message, Catch::Contains("100 bytes"));

  const std::string deep = std::string(kMaxJsonDepth + 5, '[') + std::string(kMaxJsonDepth + 5, ']');
  const auto too_deep = parse_json(deep, 10000, "observe request");
  REQUIRE_FALSE(too_deep);
  CHECK_THAT(too_deep.error().message, Catch::Contains("nested deeper"));
  const std::string fine = std::string(kMaxJsonDepth - 1, '[') + std::string(kMaxJsonDepth - 1, ']');
  CHECK(parse_json(fine, 10000, "x"));

  const auto truncated = parse_json(R"({"a": [1, 2)", 100, "time answer");
  REQUIRE_FALSE(truncated);
  CHECK(truncated.error().message == "not valid JSON");
  CHECK_FALSE(parse_json("", 100, "x"));
}
