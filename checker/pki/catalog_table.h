// A CSV catalog opened for a loader: the columns it needs located, errors naming file and line.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <tl/expected.hpp>

#include "core/error.h"
#include "pki/csv.h"

namespace tlsdoctor::pki {

struct CatalogTable {
  CsvTable csv;
  std::string input;                 // the file name errors carry
  std::vector<std::size_t> columns;  // header index of each needed column, in the order asked

  // Field `which` (an index into the needed columns) of `row`.
  const std::string& field(std::size_t row, std::size_t which) const { return csv.rows[row][columns[which]]; }
  // An error at `row`'s line of `input`.
  Error error(std::size_t row, std::string message) const;
};

// Parses `text` and finds each of `needed` in its header, in any order; a missing column is an error.
tl::expected<CatalogTable, Error> open_catalog_table(std::string_view text, std::string input,
                                                     std::span<const std::string_view> needed);
inline tl::expected<CatalogTable, Error> open_catalog_table(std::string_view text, std::string input,
                                                            std::initializer_list<std::string_view> needed) {
  return open_catalog_table(text, std::move(input), std::span(needed.begin(), needed.size()));
}

// Field `which` of `row` as a fingerprint in the catalogs' form (64 lowercase hex digits).
tl::expected<std::string, Error> fingerprint_field(const CatalogTable& table, std::size_t row, std::size_t which);

}  // namespace tlsdoctor::pki
