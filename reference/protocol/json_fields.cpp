// Field-by-field JSON reading for the protocol's parsers: types checked, the first bad field named.
#include "reference/protocol/json_fields.h"

#include <utility>

namespace tlsdoctor::reference {
namespace {

const nlohmann::json kEmptyArray = nlohmann::json::array();
const nlohmann::json kEmptyObject = nlohmann::json::object();

}  // namespace

JsonFields::JsonFields(const nlohmann::json& object, std::string what, std::string path)
    : object_(object.is_object() ? object : kEmptyObject),
      what_(std::move(what)),
      path_(std::move(path)),
      error_(std::make_shared<std::optional<Error>>()) {
  if (!object.is_object()) fail("", "not a JSON object");
}

void JsonFields::fail(const std::string& key, const std::string& message) {
  if (error_->has_value()) return;
  std::string where = path_;
  if (!key.empty()) where += (where.empty() ? "" : ".") + key;
  *error_ = Error{what_, (where.empty() ? "" : where + ": ") + message};
}

const nlohmann::json* JsonFields::find(const char* key, bool required) {
  const auto found = object_.find(key);
  if (found == object_.end() || found->is_null()) {
    if (required) fail(key, "missing");
    return nullptr;
  }
  return &*found;
}

std::string JsonFields::text(const char* key) {
  const auto* value = find(key, true);
  if (value == nullptr) return "";
  if (!value->is_string()) {
    fail(key, "not a string");
    return "";
  }
  return value->get<std::string>();
}

std::optional<std::string> JsonFields::optional_text(const char* key) {
  const auto* value = find(key, false);
  if (value == nullptr) return std::nullopt;
  if (!value->is_string()) {
    fail(key, "not a string");
    return std::nullopt;
  }
  return value->get<std::string>();
}

std::optional<bool> JsonFields::optional_flag(const char* key) {
  const auto* value = find(key, false);
  if (value == nullptr) return std::nullopt;
  if (!value->is_boolean()) {
    fail(key, "not true or false");
    return std::nullopt;
  }
  return value->get<bool>();
}

std::int64_t JsonFields::integer(const char* key, std::int64_t min, std::int64_t max) {
  const auto* value = find(key, true);
  if (value == nullptr) return min;
  if (!value->is_number_integer()) {
    fail(key, "not an integer");
    return min;
  }
  // Unsigned values above INT64_MAX are out of range too.
  if (value->is_number_unsigned() && value->get<std::uint64_t>() > static_cast<std::uint64_t>(max)) {
    fail(key, "out of range");
    return min;
  }
  const auto n = value->get<std::int64_t>();
  if (n < min || n > max) {
    fail(key, "out of range (" + std::to_string(min) + ".." + std::to_string(max) + ")");
    return min;
  }
  return n;
}

std::vector<std::string> JsonFields::texts(const char* key) {
  std::vector<std::string> out;
  const auto& items = array(key);
  for (const auto& item : items) {
    if (!item.is_string()) {
      fail(key, "holds something other than strings");
      return {};
    }
    out.push_back(item.get<std::string>());
  }
  return out;
}

const nlohmann::json& JsonFields::array(const char* key) {
  const auto* value = find(key, true);
  if (value == nullptr) return kEmptyArray;
  if (!value->is_array()) {
    fail(key, "not an array");
    return kEmptyArray;
  }
  return *value;
}

JsonFields JsonFields::object(const char* key) {
  const auto* value = find(key, true);
  JsonFields nested(value != nullptr ? *value : kEmptyObject, what_, path_.empty() ? key : path_ + "." + key);
  nested.error_ = error_;  // one error for the whole message
  if (value != nullptr && !value->is_object()) fail(key, "not an object");
  return nested;
}

std::optional<Error> JsonFields::error() const { return *error_; }

}  // namespace tlsdoctor::reference
