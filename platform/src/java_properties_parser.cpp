// Parses java.util.Properties files (java.security, crypto-policies' java.config) with include lines.
#include <cctype>

#include "platform/tls_policy_parsers.h"

namespace tlsdoctor::platform {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\f'; }

// A natural line ends in a continuation when it ends in an odd number of backslashes.
bool continues(std::string_view line) {
  std::size_t backslashes = 0;
  for (auto it = line.rbegin(); it != line.rend() && *it == '\\'; ++it) ++backslashes;
  return backslashes % 2 == 1;
}

struct Unescaped {
  std::string text;
  bool ok = true;
};

// Undoes Properties escapes: \t \n \r \f, \uXXXX, and "\c" for any other c.
Unescaped unescape(std::string_view s) {
  Unescaped out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\' || i + 1 >= s.size()) {
      out.text.push_back(s[i]);
      continue;
    }
    const char c = s[++i];
    switch (c) {
      case 't': out.text.push_back('\t'); break;
      case 'n': out.text.push_back('\n'); break;
      case 'r': out.text.push_back('\r'); break;
      case 'f': out.text.push_back('\f'); break;
      case 'u': {
        if (i + 4 >= s.size()) {
          out.ok = false;
          return out;
        }
        unsigned code = 0;
        for (int k = 1; k <= 4; ++k) {
          const char h = s[i + static_cast<std::size_t>(k)];
          if (!std::isxdigit(static_cast<unsigned char>(h))) {
            out.ok = false;
            return out;
          }
          code = code * 16 + static_cast<unsigned>(std::isdigit(static_cast<unsigned char>(h))
                                                        ? h - '0'
                                                        : std::tolower(static_cast<unsigned char>(h)) - 'a' + 10);
        }
        i += 4;
        // Policy values are ASCII; anything else is kept as UTF-8.
        if (code < 0x80) {
          out.text.push_back(static_cast<char>(code));
        } else if (code < 0x800) {
          out.text.push_back(static_cast<char>(0xC0 | (code >> 6)));
          out.text.push_back(static_cast<char>(0x80 | (code & 0x3F)));
        } else {
          out.text.push_back(static_cast<char>(0xE0 | (code >> 12)));
          out.text.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
          out.text.push_back(static_cast<char>(0x80 | (code & 0x3F)));
        }
        break;
      }
      default: out.text.push_back(c);
    }
  }
  return out;
}

}  // namespace

JavaProperties parse_java_properties(std::string_view text, const std::string& file) {
  JavaProperties result;
  int line_no = 0;
  std::size_t pos = 0;
  auto next_natural_line = [&]() {
    const auto nl = text.find('\n', pos);
    std::string_view line = text.substr(pos, nl == std::string_view::npos ? text.size() - pos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    ++line_no;
    if (line.ends_with('\r')) line.remove_suffix(1);
    return line;
  };
  while (pos < text.size()) {
    std::string_view natural = next_natural_line();
    const int first_line = line_no;
    std::size_t lead = 0;
    while (lead < natural.size() && is_blank(natural[lead])) ++lead;
    natural.remove_prefix(lead);
    if (natural.empty() || natural.front() == '#' || natural.front() == '!') continue;

    std::string logical(natural);
    while (continues(logical) && pos < text.size()) {
      logical.pop_back();
      std::string_view more = next_natural_line();
      while (!more.empty() && is_blank(more.front())) more.remove_prefix(1);
      logical.append(more);
    }
    if (continues(logical)) logical.pop_back();

    // The key ends at the first unescaped '=', ':' or blank.
    std::size_t key_end = 0;
    while (key_end < logical.size()) {
      const char c = logical[key_end];
      if (c == '\\') {
        key_end += 2;
        continue;
      }
      if (c == '=' || c == ':' || is_blank(c)) break;
      ++key_end;
    }
    key_end = std::min(key_end, logical.size());
    std::size_t value_start = key_end;
    while (value_start < logical.size() && is_blank(logical[value_start])) ++value_start;
    if (value_start < logical.size() && (logical[value_start] == '=' || logical[value_start] == ':')) {
      ++value_start;
      while (value_start < logical.size() && is_blank(logical[value_start])) ++value_start;
    }
    const auto key = unescape(std::string_view(logical).substr(0, key_end));
    const auto value = unescape(std::string_view(logical).substr(value_start));
    if (!key.ok || !value.ok) {
      result.errors.push_back(Error{file + ":" + std::to_string(first_line), "malformed \\uXXXX escape"});
      continue;
    }
    PolicySetting setting{key.text, value.text, file, first_line};
    if (key.text == "include") {
      result.includes.push_back(std::move(setting));
    } else {
      result.properties.push_back(std::move(setting));
    }
  }
  return result;
}

}  // namespace tlsdoctor::platform
