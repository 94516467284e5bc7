// Opens CSV catalogs for their loaders: column lookup and row-located errors.
#include "pki/catalog_table.h"

#include "pki/certificate.h"

namespace tlsdoctor::pki {

Error CatalogTable::error(std::size_t row, std::string message) const {
  return Error{input + ":" + std::to_string(csv.row_lines[row]), std::move(message)};
}

tl::expected<CatalogTable, Error> open_catalog_table(std::string_view text, std::string input,
                                                     std::span<const std::string_view> needed) {
  auto csv = parse_csv(text, input);
  if (!csv) return tl::unexpected(csv.error());
  CatalogTable table{std::move(*csv), std::move(input), {}};
  for (auto name : needed) {
    const auto index = table.csv.column(name);
    if (index == table.csv.header.size()) {
      return tl::unexpected(Error{table.input, "no \"" + std::string(name) + "\" column"});
    }
    table.columns.push_back(index);
  }
  return table;
}

tl::expected<std::string, Error> fingerprint_field(const CatalogTable& table, std::size_t row, std::size_t which) {
  auto normalized = normalize_fingerprint(table.field(row, which));
  if (normalized.empty()) {
    return tl::unexpected(table.error(row, "\"" + table.field(row, which) + "\" is not a SHA-256 in hex"));
  }
  return normalized;
}

}  // namespace tlsdoctor::pki
