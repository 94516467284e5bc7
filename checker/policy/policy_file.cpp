// Reads a policy file field by field, refusing unknown fields and naming the field in every error.
#include "policy/policy_file.h"

#include <algorithm>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/base64.h"
#include "core/bounded_file.h"
#include "core/hex.h"
#include "pki/certificate.h"
#include "reference/protocol/signing.h"

namespace tlsdoctor::policy {
namespace {

using Json = nlohmann::json;

// Real policies nest three levels; anything much deeper is not a policy.
constexpr int kMaxPolicyDepth = 16;
// A list of targets is read whole before the command line's own limit (16) judges it: past
// this many it is not a list anyone meant.
constexpr std::size_t kMaxPolicyTargetsRead = 1024;
// skip_checks: more entries than there are checks, many times over, is a mistake.
constexpr std::size_t kMaxSkipChecks = 64;
// reference.keys: a key and its successor while rotating, a few spares at most.
constexpr std::size_t kMaxReferenceKeys = 8;

// A field's problem, before the file's path is attached.
struct Problem {
  std::string field;
  std::string message;
};
template <typename T>
using Parsed = tl::expected<T, Problem>;

tl::unexpected<Problem> problem(std::string field, std::string message) {
  return tl::unexpected(Problem{std::move(field), std::move(message)});
}

std::string field_name(std::string_view parent, std::string_view key) {
  return parent.empty() ? std::string(key) : fmt::format("{}.{}", parent, key);
}

// Every key of `object` must be one of `known`.
Parsed<void> only_known(const Json& object, std::string_view parent, std::initializer_list<std::string_view> known) {
  for (const auto& [key, value] : object.items()) {
    if (std::find(known.begin(), known.end(), key) != known.end()) continue;
    std::string list;
    for (const auto k : known) list += (list.empty() ? "" : ", ") + std::string(k);
    return problem(field_name(parent, key), fmt::format("unknown field (known here: {})", list));
  }
  return {};
}

Parsed<std::string> string_field(const Json& value, const std::string& field, bool allow_empty = false) {
  if (!value.is_string()) return problem(field, "must be a string");
  auto text = value.get<std::string>();
  if (!allow_empty && text.empty()) return problem(field, "must not be empty");
  return text;
}

Parsed<std::vector<std::string>> string_list(const Json& value, const std::string& field, std::size_t max_items) {
  if (!value.is_array()) return problem(field, "must be a list of strings");
  if (value.size() > max_items) return problem(field, fmt::format("has {} entries; at most {}", value.size(), max_items));
  std::vector<std::string> out;
  for (std::size_t i = 0; i < value.size(); ++i) {
    auto text = string_field(value[i], fmt::format("{}[{}]", field, i));
    if (!text) return tl::unexpected(text.error());
    out.push_back(std::move(*text));
  }
  return out;
}

Parsed<std::string> url_field(const Json& value, const std::string& field, std::string_view scheme) {
  auto text = string_field(value, field);
  if (!text) return text;
  if (!text->starts_with(scheme) || text->size() == scheme.size()) {
    return problem(field, fmt::format("must be a {}host[:port] URL", scheme));
  }
  return text;
}

Parsed<PolicyReference> reference_field(const Json& value) {
  if (!value.is_object()) return problem("reference", "must be an object with url and keys");
  if (auto ok = only_known(value, "reference", {"url", "keys"}); !ok) return tl::unexpected(ok.error());
  if (!value.contains("url")) return problem("reference.url", "is required");
  if (!value.contains("keys")) return problem("reference.keys", "is required: the reference's pinned key(s)");
  auto url = url_field(value["url"], "reference.url", "https://");
  if (!url) return tl::unexpected(url.error());
  const Json& keys = value["keys"];
  std::vector<std::string> lines;
  if (keys.is_string()) {
    lines.push_back(keys.get<std::string>());
  } else {
    auto list = string_list(keys, "reference.keys", kMaxReferenceKeys);
    if (!list) return tl::unexpected(list.error());
    lines = std::move(*list);
  }
  std::string key_text;  // as --reference-key takes it: keys separated by commas
  for (const auto& line : lines) key_text += (key_text.empty() ? "" : ",") + line;
  auto parsed = reference::parse_key_set(key_text, "reference.keys");
  if (!parsed) return problem("reference.keys", parsed.error().message);
  if (parsed->keys.empty()) return problem("reference.keys", "holds no key");
  return PolicyReference{std::move(*url), std::move(key_text)};
}

Parsed<ExpectedInspection> inspection_field(const Json& value, const std::string& field) {
  if (!value.is_object()) return problem(field, "must be an object with name and issuers or spki_sha256");
  if (auto ok = only_known(value, field, {"name", "issuers", "spki_sha256"}); !ok) return tl::unexpected(ok.error());
  ExpectedInspection out;
  if (!value.contains("name")) return problem(field + ".name", "is required: findings show it");
  auto name = string_field(value["name"], field + ".name");
  if (!name) return tl::unexpected(name.error());
  out.name = std::move(*name);
  if (value.contains("issuers")) {
    auto issuers = string_list(value["issuers"], field + ".issuers", kMaxPinsPerInspection);
    if (!issuers) return tl::unexpected(issuers.error());
    out.issuers = std::move(*issuers);
  }
  if (value.contains("spki_sha256")) {
    auto pins = string_list(value["spki_sha256"], field + ".spki_sha256", kMaxPinsPerInspection);
    if (!pins) return tl::unexpected(pins.error());
    for (std::size_t i = 0; i < pins->size(); ++i) {
      auto pin = normalize_spki_pin((*pins)[i]);
      if (pin.empty()) {
        return problem(fmt::format("{}.spki_sha256[{}]", field, i),
                       "must be 64 hex digits or sha256/ followed by the base64 of 32 bytes");
      }
      out.spki_sha256.push_back(std::move(pin));
    }
  }
  if (out.issuers.empty() && out.spki_sha256.empty()) {
    return problem(field, "names no issuers and no spki_sha256: nothing could match it");
  }
  return out;
}

Parsed<std::vector<ExpectedInspection>> inspections_field(const Json& value) {
  const std::string field = "expected_inspection";
  if (!value.is_array()) return problem(field, "must be a list of objects");
  if (value.size() > kMaxExpectedInspections) {
    return problem(field, fmt::format("has {} entries; at most {}", value.size(), kMaxExpectedInspections));
  }
  std::vector<ExpectedInspection> out;
  for (std::size_t i = 0; i < value.size(); ++i) {
    auto one = inspection_field(value[i], fmt::format("{}[{}]", field, i));
    if (!one) return tl::unexpected(one.error());
    out.push_back(std::move(*one));
  }
  return out;
}

Parsed<void> clock_field(const Json& value, Policy& out) {
  if (!value.is_object()) return problem("clock", "must be an object");
  if (auto ok = only_known(value, "clock", {"tolerance_seconds", "time_sources"}); !ok) return ok;
  if (value.contains("tolerance_seconds")) {
    const Json& t = value["tolerance_seconds"];
    if (!t.is_number_integer() || t.get<std::int64_t>() < kMinClockToleranceSeconds ||
        t.get<std::int64_t>() > kMaxClockToleranceSeconds) {
      return problem("clock.tolerance_seconds", fmt::format("must be a whole number of seconds from {} to {}",
                                                            kMinClockToleranceSeconds, kMaxClockToleranceSeconds));
    }
    out.clock_tolerance = std::chrono::seconds(t.get<std::int64_t>());
  }
  if (value.contains("time_sources")) {
    auto list = string_list(value["time_sources"], "clock.time_sources", kMaxPolicyTimeSources);
    if (!list) return tl::unexpected(list.error());
    for (std::size_t i = 0; i < list->size(); ++i) {
      if (auto url = url_field((*list)[i], fmt::format("clock.time_sources[{}]", i), "https://"); !url) {
        return tl::unexpected(url.error());
      }
    }
    out.time_sources = std::move(*list);
  }
  return {};
}

Parsed<ReportCopy> report_field(const Json& value) {
  if (!value.is_object()) return problem("report", "must be an object with path (and format)");
  if (auto ok = only_known(value, "report", {"path", "format"}); !ok) return tl::unexpected(ok.error());
  if (!value.contains("path")) return problem("report.path", "is required");
  auto path = string_field(value["path"], "report.path");
  if (!path) return tl::unexpected(path.error());
  if (!std::filesystem::path(*path).is_absolute()) return problem("report.path", "must be an absolute path");
  ReportCopy out{std::move(*path)};
  if (value.contains("format")) {
    auto format = string_field(value["format"], "report.format");
    if (!format) return tl::unexpected(format.error());
    const auto& formats = kReportCopyFormats;
    if (std::find(std::begin(formats), std::end(formats), *format) == std::end(formats)) {
      std::string list;
      for (const auto f : formats) list += (list.empty() ? "" : ", ") + std::string(f);
      return problem("report.format", fmt::format("'{}' is not one of {}", *format, list));
    }
    out.format = std::move(*format);
  }
  return out;
}

Parsed<Policy> policy_from_json(const Json& root) {
  if (!root.is_object()) return problem("(top level)", "must be a JSON object");
  if (auto ok = only_known(root, "", {"schema", "reference", "targets", "expected_inspection", "clock", "skip_checks",
                                      "captive_url", "report"});
      !ok) {
    return tl::unexpected(ok.error());
  }
  Policy out;
  if (root.contains("schema")) {
    auto schema = string_field(root["schema"], "schema");
    if (!schema) return tl::unexpected(schema.error());
    if (*schema != kPolicySchema) {
      return problem("schema", fmt::format("'{}' is not a schema this build reads ({})", *schema, kPolicySchema));
    }
  }
  if (root.contains("reference")) {
    auto reference = reference_field(root["reference"]);
    if (!reference) return tl::unexpected(reference.error());
    out.reference = std::move(*reference);
  }
  if (root.contains("targets")) {
    auto targets = string_list(root["targets"], "targets", kMaxPolicyTargetsRead);
    if (!targets) return tl::unexpected(targets.error());
    out.targets = std::move(*targets);
  }
  if (root.contains("expected_inspection")) {
    auto inspections = inspections_field(root["expected_inspection"]);
    if (!inspections) return tl::unexpected(inspections.error());
    out.expected_inspection = std::move(*inspections);
  }
  if (root.contains("clock")) {
    if (auto ok = clock_field(root["clock"], out); !ok) return tl::unexpected(ok.error());
  }
  if (root.contains("skip_checks")) {
    auto skip = string_list(root["skip_checks"], "skip_checks", kMaxSkipChecks);
    if (!skip) return tl::unexpected(skip.error());
    out.skip_checks = std::move(*skip);
  }
  if (root.contains("captive_url")) {
    auto url = url_field(root["captive_url"], "captive_url", "http://");
    if (!url) return tl::unexpected(url.error());
    out.captive_url = std::move(*url);
  }
  if (root.contains("report")) {
    auto report = report_field(root["report"]);
    if (!report) return tl::unexpected(report.error());
    out.report = std::move(*report);
  }
  return out;
}

// 1-based line and column of byte offset `byte` (nlohmann counts the byte it stopped after).
std::pair<std::size_t, std::size_t> line_and_column(std::string_view text, std::size_t byte) {
  const std::size_t end = std::min(byte == 0 ? 0 : byte - 1, text.size());
  std::size_t line = 1;
  std::size_t column = 1;
  for (std::size_t i = 0; i < end; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

}  // namespace

std::string normalize_spki_pin(std::string_view text) {
  constexpr std::string_view kPrefix = "sha256/";
  if (!text.starts_with(kPrefix)) return pki::normalize_fingerprint(text);
  auto bytes = decode_base64(text.substr(kPrefix.size()));
  if (!bytes || bytes->size() != 32) return {};
  return encode_hex(*bytes);
}

tl::expected<Policy, Error> parse_policy(std::string_view text, std::string_view source) {
  const std::string input(source);
  bool too_deep = false;
  const Json::parser_callback_t limit_depth = [&](int depth, Json::parse_event_t, Json&) {
    if (depth > kMaxPolicyDepth) too_deep = true;
    return !too_deep;
  };
  Json root;
  try {
    root = Json::parse(text.begin(), text.end(), limit_depth);
  } catch (const Json::parse_error& e) {
    const auto [line, column] = line_and_column(text, e.byte);
    return tl::unexpected(Error{input, fmt::format("not valid JSON (line {}, column {})", line, column)});
  } catch (const Json::exception&) {
    // A number out of range (1e999) and the like: the text is JSON, the value is not usable.
    return tl::unexpected(Error{input, "not valid JSON (a number out of range)"});
  }
  if (too_deep) return tl::unexpected(Error{input, fmt::format("nested deeper than {} levels", kMaxPolicyDepth)});
  auto policy = policy_from_json(root);
  if (!policy) return tl::unexpected(Error{input, policy.error().field + ": " + policy.error().message});
  policy->source = input;
  return std::move(*policy);
}

tl::expected<Policy, Error> load_policy(const std::filesystem::path& path) {
  auto text = read_bounded_file(path, kMaxPolicyBytes, "a policy file");
  if (!text) return tl::unexpected(text.error());
  return parse_policy(*text, path.string());
}

}  // namespace tlsdoctor::policy
