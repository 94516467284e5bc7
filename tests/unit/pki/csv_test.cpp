// Tests for the catalog CSV reader (checker/pki/csv.cpp).
#include <catch2/catch.hpp>

#include "pki/csv.h"

using tlsdoctor::pki::parse_csv;

TEST_CASE("comments, header, quoted fields", "[csv]") {
  const auto table = parse_csv(
      "# source: somewhere public\n# another comment\n\na,b,c\n1,\"two, with comma\",3\r\n\"say \"\"hi\"\"\",,\n", "t.csv");
  REQUIRE(table);
  CHECK(table->source() == "somewhere public");
  CHECK(table->comments.size() == 2);
  CHECK(table->header == std::vector<std::string>{"a", "b", "c"});
  REQUIRE(table->rows.size() == 2);
  CHECK(table->rows[0] == std::vector<std::string>{"1", "two, with comma", "3"});
  CHECK(table->rows[1] == std::vector<std::string>{"say \"hi\"", "", ""});
  CHECK(table->row_lines == std::vector<std::size_t>{5, 6});
  CHECK(table->column("b") == 1);
  CHECK(table->column("zzz") == 3);
}

TEST_CASE("errors name the input and the line", "[csv]") {
  auto wrong_count = parse_csv("a,b\n1,2\n1,2,3\n", "t.csv");
  REQUIRE_FALSE(wrong_count);
  CHECK(wrong_count.error().input == "t.csv:3");
  CHECK(wrong_count.error().message == "expected 2 fields, found 3");
  auto open_quote = parse_csv("a\n\"never closed\n", "t.csv");
  REQUIRE_FALSE(open_quote);
  CHECK(open_quote.error().message == "unterminated quote");
  auto empty = parse_csv("# only comments\n", "t.csv");
  REQUIRE_FALSE(empty);
  CHECK(empty.error().message == "no header line");
  CHECK(parse_csv("a\n", "t.csv")->source().empty());
}

TEST_CASE("csv_line quotes what needs it, and parse_csv reads it back", "[csv]") {
  const std::vector<std::string> fields{"#not a comment", "plain", "a, b", "say \"hi\"", "", "Főtanúsítvány"};
  CHECK(tlsdoctor::pki::csv_line(fields) == "\"#not a comment\",plain,\"a, b\",\"say \"\"hi\"\"\",,Főtanúsítvány");
  const auto table = parse_csv("a,b,c,d,e,f\n" + tlsdoctor::pki::csv_line(fields) + "\n", "t.csv");
  REQUIRE(table);
  REQUIRE(table->rows.size() == 1);
  CHECK(table->rows[0] == fields);
}
