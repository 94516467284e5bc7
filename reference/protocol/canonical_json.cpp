// Canonical JSON bytes for signed messages (sorted keys, no whitespace, integers only) and depth-bounded parsing.
#include "reference/protocol/canonical_json.h"

namespace tlsdoctor::reference {
namespace {

// The path of the first floating-point number in `value` ("/probes/0/ms"), or nothing.
bool find_float(const nlohmann::json& value, std::string& path) {
  if (value.is_number_float()) return true;
  if (value.is_object()) {
    for (const auto& [key, item] : value.items()) {
      if (find_float(item, path)) {
        path = "/" + key + path;
        return true;
      }
    }
  } else if (value.is_array()) {
    for (std::size_t i = 0; i < value.size(); ++i) {
      if (find_float(value[i], path)) {
        path = "/" + std::to_string(i) + path;
        return true;
      }
    }
  }
  return false;
}

}  // namespace

tl::expected<std::string, Error> canonical_json(const nlohmann::json& value) {
  std::string path;
  if (find_float(value, path)) {
    return tl::unexpected(Error{path.empty() ? "/" : path, "floating-point numbers have no canonical form here"});
  }
  // nlohmann::json keeps objects in a std::map, so keys come out in byte order; with no indent
  // and ensure_ascii off, dump() writes exactly the canonical form described in the header.
  try {
    return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::strict);
  } catch (const nlohmann::json::type_error& error) {
    return tl::unexpected(Error{"string", std::string("not valid UTF-8 (") + error.what() + ")"});
  }
}

tl::expected<nlohmann::json, Error> parse_json(std::string_view text, std::size_t max_bytes, std::string_view what) {
  const std::string input(what);
  if (text.size() > max_bytes) {
    return tl::unexpected(Error{input, "larger than " + std::to_string(max_bytes) + " bytes"});
  }
  bool too_deep = false;
  // Values nested deeper than the limit are discarded as they are read (memory stays bounded)
  // and the whole text is then refused.
  const nlohmann::json::parser_callback_t limit_depth = [&](int depth, nlohmann::json::parse_event_t, nlohmann::json&) {
    if (depth > static_cast<int>(kMaxJsonDepth)) too_deep = true;
    return !too_deep;
  };
  nlohmann::json parsed = nlohmann::json::parse(text.begin(), text.end(), limit_depth, false);
  if (too_deep) return tl::unexpected(Error{input, "nested deeper than " + std::to_string(kMaxJsonDepth) + " levels"});
  if (parsed.is_discarded()) return tl::unexpected(Error{input, "not valid JSON"});
  return parsed;
}

}  // namespace tlsdoctor::reference
