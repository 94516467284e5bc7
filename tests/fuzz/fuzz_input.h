// Helpers for fuzz targets: the input as text, split into the parts a target feeds its parsers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <utility>
#include <vector>

namespace tlsdoctor::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// (before, after) the first `separator`; `after` is empty when there is none.
inline std::pair<std::string_view, std::string_view> split_once(std::string_view text, char separator) {
  const auto at = text.find(separator);
  if (at == std::string_view::npos) return {text, {}};
  return {text.substr(0, at), text.substr(at + 1)};
}

// Every part between `separator`s, at most `max_parts` (the last one keeps the rest).
inline std::vector<std::string_view> split_all(std::string_view text, char separator, std::size_t max_parts) {
  std::vector<std::string_view> parts;
  while (parts.size() + 1 < max_parts) {
    const auto [head, tail] = split_once(text, separator);
    parts.push_back(head);
    if (head.size() == text.size()) return parts;
    text = tail;
  }
  parts.push_back(text);
  return parts;
}

// A property every input must keep; a violation is a finding like a crash.
inline void require(bool holds, const char* what) {
  if (holds) return;
  std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
  std::abort();
}

}  // namespace tlsdoctor::fuzz
