// CSV parsing and row writing for catalogs: quoted fields may hold commas and doubled quotes, never newlines.
#include "pki/csv.h"

namespace tlsdoctor::pki {
namespace {

// Splits one line into fields; false on an unterminated quote.
bool split_line(std::string_view line, std::vector<std::string>& fields) {
  fields.clear();
  std::string field;
  bool quoted = false;
  bool was_quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < line.size() && line[i + 1] == '"') {
          field.push_back('"');
          ++i;
        } else {
          quoted = false;
        }
      } else {
        field.push_back(c);
      }
    } else if (c == '"' && field.empty() && !was_quoted) {
      quoted = true;
      was_quoted = true;
    } else if (c == ',') {
      fields.push_back(std::move(field));
      field.clear();
      was_quoted = false;
    } else {
      field.push_back(c);
    }
  }
  if (quoted) return false;
  fields.push_back(std::move(field));
  return true;
}

}  // namespace

std::string CsvTable::source() const {
  constexpr std::string_view kPrefix = "source:";
  for (const auto& comment : comments) {
    if (comment.starts_with(kPrefix)) {
      std::string_view rest(comment);
      rest.remove_prefix(kPrefix.size());
      while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
      return std::string(rest);
    }
  }
  return {};
}

std::size_t CsvTable::column(std::string_view name) const {
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (header[i] == name) return i;
  }
  return header.size();
}

tl::expected<CsvTable, Error> parse_csv(std::string_view text, std::string_view input) {
  CsvTable table;
  std::size_t pos = 0;
  std::size_t line_number = 0;
  std::vector<std::string> fields;
  while (pos < text.size()) {
    const auto eol = text.find('\n', pos);
    std::string_view line = text.substr(pos, eol == std::string_view::npos ? text.npos : eol - pos);
    pos = eol == std::string_view::npos ? text.size() : eol + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    if (line.front() == '#') {
      line.remove_prefix(1);
      if (!line.empty() && line.front() == ' ') line.remove_prefix(1);
      table.comments.emplace_back(line);
      continue;
    }
    const std::string where = std::string(input) + ":" + std::to_string(line_number);
    if (!split_line(line, fields)) return tl::unexpected(Error{where, "unterminated quote"});
    if (table.header.empty()) {
      table.header = fields;
      continue;
    }
    if (fields.size() != table.header.size()) {
      return tl::unexpected(Error{where, "expected " + std::to_string(table.header.size()) +
                                             " fields, found " + std::to_string(fields.size())});
    }
    table.rows.push_back(fields);
    table.row_lines.push_back(line_number);
  }
  if (table.header.empty()) return tl::unexpected(Error{std::string(input), "no header line"});
  return table;
}

std::string csv_line(std::span<const std::string> fields) {
  std::string line;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) line.push_back(',');
    const auto& field = fields[i];
    // A leading '#' is quoted too: at the start of a line it would make the row a comment.
    if (field.find_first_of(",\"") == std::string::npos && !field.starts_with('#')) {
      line += field;
      continue;
    }
    line.push_back('"');
    for (char c : field) {
      if (c == '"') line.push_back('"');
      line.push_back(c);
    }
    line.push_back('"');
  }
  return line;
}

}  // namespace tlsdoctor::pki
