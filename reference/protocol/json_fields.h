// Typed reads of a JSON object's fields that remember the first wrong one by its path.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.h"

namespace tlsdoctor::reference {

// Reading stops being meaningful at the first error, but goes on returning defaults so the
// caller can read every field and check once: `if (auto e = fields.error()) return ...`.
class JsonFields {
 public:
  // `what` names the message ("echo answer"); `path` is the object's place inside it.
  JsonFields(const nlohmann::json& object, std::string what, std::string path = "");

  std::string text(const char* key);
  std::optional<std::string> optional_text(const char* key);
  std::int64_t integer(const char* key, std::int64_t min, std::int64_t max);
  std::optional<bool> optional_flag(const char* key);
  std::vector<std::string> texts(const char* key);
  // The array itself (empty on error); its items are the caller's to check.
  const nlohmann::json& array(const char* key);
  JsonFields object(const char* key);
  void fail(const std::string& key, const std::string& message);

  std::optional<Error> error() const;

 private:
  const nlohmann::json* find(const char* key, bool required);

  const nlohmann::json& object_;
  std::string what_;
  std::string path_;
  std::shared_ptr<std::optional<Error>> error_;  // shared with nested readers
};

}  // namespace tlsdoctor::reference
