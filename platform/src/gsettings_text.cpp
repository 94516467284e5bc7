// Parsing of gsettings output: the listing's three columns and GVariant string literals.
#include "platform/gsettings_text.h"
#include "platform/text.h"

namespace tlsdoctor::platform {
namespace {

// Reads one quoted literal starting at text[pos]; on success pos is just past the closing quote.
std::optional<std::string> read_literal(std::string_view text, std::size_t& pos) {
  if (pos >= text.size() || (text[pos] != '\'' && text[pos] != '"')) return std::nullopt;
  const char quote = text[pos++];
  std::string out;
  while (pos < text.size()) {
    const char c = text[pos++];
    if (c == quote) return out;
    if (c != '\\') {
      out.push_back(c);
      continue;
    }
    if (pos >= text.size()) return std::nullopt;
    const char e = text[pos++];
    switch (e) {
      case 'n': out.push_back('\n'); break;
      case 't': out.push_back('\t'); break;
      case 'r': out.push_back('\r'); break;
      default: out.push_back(e);  // \\ \' \" and anything else stand for themselves
    }
  }
  return std::nullopt;  // no closing quote
}

}  // namespace

std::vector<GsettingsLine> parse_gsettings_listing(std::string_view text) {
  std::vector<GsettingsLine> lines;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto end = text.find('\n', pos);
    const auto line = trim(text.substr(pos, end == std::string_view::npos ? std::string_view::npos
                                                                          : end - pos));
    pos = end == std::string_view::npos ? text.size() : end + 1;
    const auto first_space = line.find(' ');
    if (first_space == std::string_view::npos) continue;
    const auto rest = trim(line.substr(first_space + 1));
    const auto second_space = rest.find(' ');
    if (second_space == std::string_view::npos) continue;
    lines.push_back({std::string(line.substr(0, first_space)),
                     std::string(rest.substr(0, second_space)),
                     std::string(trim(rest.substr(second_space + 1)))});
  }
  return lines;
}

std::optional<std::string> gvariant_string(std::string_view value) {
  value = trim(value);
  std::size_t pos = 0;
  auto literal = read_literal(value, pos);
  if (!literal || pos != value.size()) return std::nullopt;
  return literal;
}

std::optional<std::vector<std::string>> gvariant_string_array(std::string_view value) {
  value = trim(value);
  if (value.starts_with("@as")) value = trim(value.substr(3));  // typed empty array: "@as []"
  if (value.size() < 2 || value.front() != '[' || value.back() != ']') return std::nullopt;
  std::vector<std::string> items;
  std::size_t pos = 1;
  const std::size_t close = value.size() - 1;
  for (;;) {
    while (pos < close && (value[pos] == ' ' || value[pos] == ',')) ++pos;
    if (pos >= close) break;
    auto item = read_literal(value, pos);
    if (!item || pos > close) return std::nullopt;
    items.push_back(std::move(*item));
  }
  return items;
}

}  // namespace tlsdoctor::platform
