// Parses openssl.cnf the way OpenSSL 3's conf_def.c does, with includes, variables and pragmas.
#include <algorithm>
#include <cctype>
#include <string_view>

#include "platform/openssl_conf.h"

namespace tlsdoctor::platform {
namespace {

constexpr std::string_view kDefaultSection = "default";

bool is_alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }
// The punctuation OpenSSL allows inside names (conf_def.h's CONF_PUNCT).
bool is_punct(char c) { return std::string_view("!.%&*+,/;?@^~|-").find(c) != std::string_view::npos; }
bool is_alnum_punct(char c) { return is_alnum(c) || is_punct(c); }
bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool is_quote(char c) { return c == '"' || c == '\'' || c == '`'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_ws(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ws(s.back())) s.remove_suffix(1);
  return s;
}

bool ends_with_ci(std::string_view s, std::string_view suffix) {
  if (s.size() <= suffix.size()) return false;
  return std::equal(suffix.rbegin(), suffix.rend(), s.rbegin(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
  });
}

// Cuts a "#" comment off, leaving quoted text and escaped characters alone.
std::string_view strip_comment(std::string_view line) {
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c == '#') return line.substr(0, i);
    if (c == '\\') {
      ++i;
    } else if (is_quote(c)) {
      for (++i; i < line.size() && line[i] != c; ++i) {
        if (line[i] == '\\') ++i;
      }
    }
  }
  return line;
}

// Length of the name token at the start of `s` (escaped characters count as part of it).
std::size_t name_length(std::string_view s, bool dollarid) {
  std::size_t i = 0;
  while (i < s.size()) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      i += 2;
    } else if (is_alnum_punct(s[i]) || (dollarid && s[i] == '$')) {
      ++i;
    } else {
      break;
    }
  }
  return i;
}

class Parser {
 public:
  explicit Parser(const OpenSslConfSource& source) : source_(source) {}

  OpenSslConfParse run(const std::string& path) {
    result_.conf.sections[std::string(kDefaultSection)];
    auto loaded = source_.read_file(path);
    if (!loaded) {
      result_.error = loaded.error();
      return std::move(result_);
    }
    parse_file(*loaded, 0, false);
    return std::move(result_);
  }

 private:
  struct Failure {
    std::string message;
  };

  void fail(const std::string& file, int line, std::string message) {
    if (!result_.error) result_.error = Error{file + ":" + std::to_string(line), std::move(message)};
  }

  // Returns false once a syntax error stopped the parse (OpenSSL gives up on the whole file).
  bool parse_file(const LoadedConfFile& file, int depth, bool inside_directory) {
    if (result_.files_read.size() >= kMaxOpenSslConfFiles) {
      result_.notes.push_back("more than " + std::to_string(kMaxOpenSslConfFiles) +
                              " configuration files; " + file.shown + " and later ones not read");
      return true;
    }
    result_.files_read.push_back(file.shown);
    std::string_view text = file.text;
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);

    int line_no = 0;
    std::size_t pos = 0;
    while (pos < text.size()) {
      // Join physical lines ending in an unescaped backslash into one logical line.
      std::string logical;
      const int first_line = line_no + 1;
      for (;;) {
        const auto nl = text.find('\n', pos);
        std::string_view physical = text.substr(pos, nl == std::string_view::npos ? text.size() - pos : nl - pos);
        pos = nl == std::string_view::npos ? text.size() : nl + 1;
        ++line_no;
        while (!physical.empty() && (physical.back() == '\r' || physical.back() == '\n')) physical.remove_suffix(1);
        logical.append(physical);
        const bool continued = !logical.empty() && logical.back() == '\\' &&
                               (logical.size() < 2 || logical[logical.size() - 2] != '\\');
        if (!continued || pos >= text.size()) {
          if (continued) logical.pop_back();
          break;
        }
        logical.pop_back();
      }
      if (!parse_line(logical, file.shown, first_line, depth, inside_directory)) return false;
    }
    return true;
  }

  bool parse_line(std::string_view raw, const std::string& file, int line, int depth, bool inside_directory) {
    std::string_view s = trim(strip_comment(raw));
    if (s.empty()) return true;
    if (s.front() == '[') return parse_section_header(s.substr(1), file, line);

    const std::size_t first_len = name_length(s, dollarid_);
    std::string section = section_;
    std::string_view name = s.substr(0, first_len);
    std::string_view rest = s.substr(first_len);
    if (rest.starts_with("::")) {
      section = std::string(name);
      rest.remove_prefix(2);
      const std::size_t len = name_length(rest, dollarid_);
      name = rest.substr(0, len);
      rest.remove_prefix(len);
    }
    const bool had_space = !rest.empty() && is_ws(rest.front());
    rest = trim(rest);
    if ((name == ".pragma" || name == ".include") && (had_space || rest.starts_with("="))) {
      if (rest.starts_with("=")) rest = trim(rest.substr(1));
      if (name == ".pragma") return parse_pragma(rest, file, line);
      return parse_include(rest, section, file, line, depth, inside_directory);
    }
    if (!rest.starts_with("=")) {
      fail(file, line, "missing equal sign");
      return false;
    }
    auto value = expand(trim(rest.substr(1)), section);
    if (!value) {
      fail(file, line, value.error().message);
      return false;
    }
    result_.conf.sections[section].push_back(OpenSslConfEntry{std::string(name), *value, file, line});
    return true;
  }

  bool parse_section_header(std::string_view s, const std::string& file, int line) {
    const auto close = s.find(']');
    // OpenSSL accepts words separated by blanks inside the brackets, nothing else.
    const std::string_view inside = close == std::string_view::npos ? s : s.substr(0, close);
    const bool words_only = std::all_of(inside.begin(), inside.end(), [&](char c) {
      return is_alnum_punct(c) || is_ws(c) || c == '\\' || (dollarid_ && c == '$');
    });
    if (close == std::string_view::npos || !words_only) {
      fail(file, line, "missing close square bracket");
      return false;
    }
    auto name = expand(trim(inside), std::string(kDefaultSection));
    if (!name) {
      fail(file, line, name.error().message);
      return false;
    }
    section_ = *name;
    result_.conf.sections[section_];
    return true;
  }

  bool parse_pragma(std::string_view value, const std::string& file, int line) {
    const auto colon = value.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon + 1 >= value.size()) {
      fail(file, line, "invalid pragma");
      return false;
    }
    const std::string_view key = trim(value.substr(0, colon));
    const std::string_view arg = trim(value.substr(colon + 1));
    auto as_bool = [&](bool& flag) {
      if (arg == "on" || arg == "true") {
        flag = true;
      } else if (arg == "off" || arg == "false") {
        flag = false;
      } else {
        fail(file, line, "invalid pragma value");
        return false;
      }
      return true;
    };
    if (key == "dollarid") return as_bool(dollarid_);
    if (key == "abspath") return as_bool(abspath_);
    if (key == "includedir") includedir_ = std::string(arg);
    return true;  // OpenSSL ignores pragmas it does not know
  }

  bool parse_include(std::string_view raw_path, const std::string& section, const std::string& file, int line,
                     int depth, bool inside_directory) {
    auto expanded = expand(raw_path, section);
    if (!expanded) {
      fail(file, line, expanded.error().message);
      return false;
    }
    std::string path = *expanded;
    std::optional<std::string> dir = source_.getenv ? source_.getenv("OPENSSL_CONF_INCLUDE") : std::nullopt;
    if (!dir && !includedir_.empty()) dir = includedir_;
    if (dir && !dir->empty() && !path.starts_with('/')) {
      path = *dir + (dir->ends_with('/') ? "" : "/") + path;
    }
    if (abspath_ && !path.starts_with('/')) {
      fail(file, line, "relative include path not allowed (.pragma abspath)");
      return false;
    }
    if (depth + 1 > kMaxOpenSslIncludeDepth) {
      result_.notes.push_back(file + ":" + std::to_string(line) + ": .include " + path +
                              " not followed: includes nest deeper than " +
                              std::to_string(kMaxOpenSslIncludeDepth) + " (a loop?)");
      return true;
    }
    if (auto entries = source_.list_directory(path)) {
      if (inside_directory) {
        result_.notes.push_back(file + ":" + std::to_string(line) + ": .include " + path +
                                " ignored: a directory included from a directory");
        return true;
      }
      std::sort(entries->begin(), entries->end());
      for (const auto& name : *entries) {
        if (!ends_with_ci(name, ".cnf") && !ends_with_ci(name, ".conf")) continue;
        const std::string child = path + (path.ends_with('/') ? "" : "/") + name;
        auto loaded = source_.read_file(child);
        if (!loaded) {
          result_.notes.push_back(".include " + child + ": " + loaded.error().message);
          continue;
        }
        if (!parse_file(*loaded, depth + 1, true)) return false;
      }
      return true;
    }
    auto loaded = source_.read_file(path);
    if (!loaded) {
      // OpenSSL skips an include it cannot open; it is not a syntax error.
      result_.notes.push_back(file + ":" + std::to_string(line) + ": .include " + path + ": " +
                              loaded.error().message);
      return true;
    }
    return parse_file(*loaded, depth + 1, inside_directory);
  }

  std::optional<std::string> lookup(std::string_view section, std::string_view name) const {
    if (const auto* entries = result_.conf.section(section)) {
      for (auto it = entries->rbegin(); it != entries->rend(); ++it) {
        if (it->name == name) return it->value;
      }
    }
    if (section == "ENV" && source_.getenv) {
      if (auto v = source_.getenv(name)) return v;
    }
    if (section != kDefaultSection) return lookup(kDefaultSection, name);
    return std::nullopt;
  }

  // Unquotes, undoes escapes and expands $variables, as OpenSSL's str_copy.
  tl::expected<std::string, Failure> expand(std::string_view from, const std::string& section) const {
    std::string out;
    std::size_t i = 0;
    while (i < from.size()) {
      const char c = from[i];
      if (is_quote(c)) {
        for (++i; i < from.size() && from[i] != c; ++i) {
          if (from[i] == '\\' && ++i >= from.size()) break;
          out.push_back(from[i]);
        }
        if (i < from.size()) ++i;
      } else if (c == '\\') {
        if (++i >= from.size()) break;
        const char e = from[i++];
        out.push_back(e == 'r' ? '\r' : e == 'n' ? '\n' : e == 'b' ? '\b' : e == 't' ? '\t' : e);
      } else if (c == '$' && (!dollarid_ || (i + 1 < from.size() && (from[i + 1] == '{' || from[i + 1] == '(')))) {
        ++i;
        char close = 0;
        if (i < from.size() && (from[i] == '{' || from[i] == '(')) close = from[i++] == '{' ? '}' : ')';
        auto read_name = [&] {
          const std::size_t start = i;
          while (i < from.size() && (is_alnum(from[i]) || (dollarid_ && from[i] == '$'))) ++i;
          return from.substr(start, i - start);
        };
        std::string_view var_section = section;
        std::string_view var = read_name();
        if (from.substr(i).starts_with("::")) {
          var_section = var;
          i += 2;
          var = read_name();
        }
        if (close != 0) {
          if (i >= from.size() || from[i] != close) return tl::unexpected(Failure{"no close brace"});
          ++i;
        }
        const auto value = lookup(var_section, var);
        if (!value) return tl::unexpected(Failure{"variable has no value: $" + std::string(var)});
        out += *value;
        if (out.size() > kMaxOpenSslValueLength) return tl::unexpected(Failure{"variable expansion too long"});
      } else {
        out.push_back(c);
        ++i;
      }
    }
    return out;
  }

  const OpenSslConfSource& source_;
  OpenSslConfParse result_;
  std::string section_{kDefaultSection};
  bool dollarid_ = false;
  bool abspath_ = false;
  std::string includedir_;
};

}  // namespace

const std::vector<OpenSslConfEntry>* OpenSslConf::section(std::string_view name) const {
  const auto it = sections.find(name);
  return it == sections.end() ? nullptr : &it->second;
}

std::optional<OpenSslConfEntry> OpenSslConf::get(std::string_view section_name, std::string_view name) const {
  for (const std::string_view s : {section_name, kDefaultSection}) {
    if (const auto* entries = section(s)) {
      for (auto it = entries->rbegin(); it != entries->rend(); ++it) {
        if (it->name == name) return *it;
      }
    }
  }
  return std::nullopt;
}

OpenSslConfParse parse_openssl_conf(const std::string& path, const OpenSslConfSource& source) {
  return Parser(source).run(path);
}

}  // namespace tlsdoctor::platform
