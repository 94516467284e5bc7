// The text renderers' shared writer: colour, word wrapping at the width, UTF-8 aware column counts.
#pragma once

#include <cstddef>
#include <sstream>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "report/text_renderer.h"

namespace tlsdoctor::report {

inline constexpr std::string_view kReset = "\033[0m";
inline constexpr std::string_view kGreen = "\033[32m";
inline constexpr std::string_view kYellow = "\033[33m";
inline constexpr std::string_view kRed = "\033[31m";
inline constexpr std::string_view kBold = "\033[1m";
inline constexpr std::string_view kDim = "\033[2m";

class TextWriter {
 public:
  explicit TextWriter(const TextOptions& o) : opts_(o) {}

  std::string paint(std::string_view text, std::string_view color) const {
    if (!opts_.color) return std::string(text);
    return fmt::format("{}{}{}", color, text, kReset);
  }

  // Writes `text` wrapped at the width; the first line starts with `first` (already painted,
  // `first_cols` columns wide), later lines are indented by `indent` spaces.
  void wrapped(std::string_view first, std::size_t first_cols, std::string_view text,
               std::size_t indent) {
    std::size_t col = first_cols;
    out_ << first;
    std::istringstream words{std::string(text)};
    std::string word;
    bool line_empty = true;
    while (words >> word) {
      // A word wider than a whole line (a JSON fact, a long path) is cut where the line ends.
      while (display_width(word) > opts_.width - indent) {
        const std::size_t room = col + 1 < opts_.width ? opts_.width - col - (line_empty ? 0 : 1) : 0;
        if (room < 8) {
          out_ << '\n' << std::string(indent, ' ');
          col = indent;
          line_empty = true;
          continue;
        }
        const std::size_t cut = byte_offset(word, room);
        out_ << (line_empty ? "" : " ") << word.substr(0, cut) << '\n' << std::string(indent, ' ');
        word.erase(0, cut);
        col = indent;
        line_empty = true;
      }
      const std::size_t len = display_width(word);
      if (!line_empty && col + 1 + len > opts_.width) {
        out_ << '\n' << std::string(indent, ' ');
        col = indent;
        line_empty = true;
      }
      if (!line_empty) {
        out_ << ' ';
        ++col;
      }
      out_ << word;
      col += len;
      line_empty = false;
    }
    out_ << '\n';
  }

  void line(std::string_view text = "") { out_ << text << '\n'; }
  std::string str() const { return out_.str(); }

  // Byte offset of the first `columns` code points of s.
  static std::size_t byte_offset(std::string_view s, std::size_t columns) {
    std::size_t seen = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
      if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
        if (seen == columns) return i;
        ++seen;
      }
    }
    return s.size();
  }

  // Columns a UTF-8 string takes: count code points, not bytes.
  static std::size_t display_width(std::string_view s) {
    std::size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80 ? 1 : 0;
    return n;
  }

 private:
  const TextOptions& opts_;
  std::ostringstream out_;
};

}  // namespace tlsdoctor::report
