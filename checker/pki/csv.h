// A small CSV reader (and row writer) for the catalogs in checker/data: RFC 4180 quoting, '#' comment lines.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "core/error.h"

namespace tlsdoctor::pki {

struct CsvTable {
  std::vector<std::string> comments;  // text of the '#' lines, '#' and one space removed
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;  // each with header.size() fields
  std::vector<std::size_t> row_lines;          // 1-based line of each row, for error messages

  // The text after "source:" on a "# source: ..." comment line, or "".
  std::string source() const;
  // Column index of `name` in the header, or header.size() when absent.
  std::size_t column(std::string_view name) const;
};

// Parses `text`; lines starting with '#' are comments, blank lines are skipped, the first other
// line is the header. Errors name `input` and the line: an unterminated quote, a row whose field
// count differs from the header's.
tl::expected<CsvTable, Error> parse_csv(std::string_view text, std::string_view input);

// One line of CSV (no line break) that parse_csv reads back as `fields`: a field holding a comma
// or a quote, or starting with '#', is quoted, its quotes doubled (RFC 4180). Fields must not
// hold '\r' or '\n': the reader is line-based.
std::string csv_line(std::span<const std::string> fields);

}  // namespace tlsdoctor::pki
