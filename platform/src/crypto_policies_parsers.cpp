// Parsers for GnuTLS's system configuration, crypto-policies' config file and its NSS back-end.
#include <algorithm>
#include <cctype>

#include "platform/tls_policy_parsers.h"
#include "platform/text.h"

namespace tlsdoctor::platform {
namespace {

// Calls `line_fn(line_no, text)` for each line of `text`.
template <typename F>
void for_each_line(std::string_view text, F&& line_fn) {
  int line_no = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto nl = text.find('\n', pos);
    const auto line = text.substr(pos, nl == std::string_view::npos ? text.size() - pos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    line_fn(++line_no, line);
  }
}

std::string where(const std::string& file, int line) { return file + ":" + std::to_string(line); }

}  // namespace

GnuTlsPolicy parse_gnutls_config(std::string_view text, const std::string& file) {
  GnuTlsPolicy policy;
  policy.file = file;
  policy.found = true;
  std::string section;
  for_each_line(text, [&](int line_no, std::string_view raw) {
    const std::string_view line = trim(raw);
    // inih, which GnuTLS uses, takes ';' and '#' as comment starts.
    if (line.empty() || line.front() == '#' || line.front() == ';') return;
    if (line.front() == '[') {
      const auto close = line.find(']');
      if (close == std::string_view::npos) {
        policy.errors.push_back(Error{where(file, line_no), "section header without ']'"});
        return;
      }
      section = std::string(trim(line.substr(1, close - 1)));
      return;
    }
    const auto sep = line.find_first_of("=:");
    if (sep == std::string_view::npos || sep == 0) {
      policy.errors.push_back(Error{where(file, line_no), "expected \"name = value\": " + std::string(line)});
      return;
    }
    const std::string key(trim(line.substr(0, sep)));
    const std::string value(trim(line.substr(sep + 1)));
    const PolicySetting setting{key, value, file, line_no};
    if (iequals(section, "global") && iequals(key, "override-mode")) {
      policy.override_mode = setting;
    } else if (iequals(section, "overrides")) {
      if (iequals(key, "enabled-version")) policy.enabled_versions.push_back(setting);
      if (iequals(key, "disabled-version")) policy.disabled_versions.push_back(setting);
      if (iequals(key, "min-verification-profile")) policy.min_verification_profile = setting;
      if (iequals(key, "default-priority-string")) policy.default_priority_string = setting;
    } else if ((section.empty() || iequals(section, "priorities")) && iequals(key, "SYSTEM")) {
      policy.system_priority = setting;
    }
  });
  return policy;
}

NssPolicy parse_nss_policy(std::string_view text, const std::string& file) {
  NssPolicy policy;
  policy.file = file;
  policy.found = true;
  for_each_line(text, [&](int line_no, std::string_view raw) {
    const std::string_view line = trim(raw);
    if (!line.starts_with("config=")) return;
    std::string_view value = line.substr(7);
    if (value.starts_with('"')) {
      if (value.size() < 2 || !value.ends_with('"')) {
        policy.errors.push_back(Error{where(file, line_no), "config=\" without a closing quote"});
        return;
      }
      value = value.substr(1, value.size() - 2);
    }
    // Items are separated by blanks ("disallow=ALL allow=...") and colons inside a list.
    std::size_t pos = 0;
    while (pos < value.size()) {
      const auto end = value.find_first_of(" :", pos);
      const auto item = value.substr(pos, end == std::string_view::npos ? value.size() - pos : end - pos);
      pos = end == std::string_view::npos ? value.size() : end + 1;
      const auto eq = item.find('=');
      if (eq == std::string_view::npos) continue;
      const std::string key(item.substr(0, eq));
      PolicySetting setting{key, std::string(item.substr(eq + 1)), file, line_no};
      if (iequals(key, "tls-version-min")) policy.tls_version_min = setting;
      if (iequals(key, "tls-version-max")) policy.tls_version_max = setting;
      if (iequals(key, "RSA-MIN")) policy.rsa_min = setting;
    }
  });
  return policy;
}

void parse_crypto_policies_config(std::string_view text, const std::string& file, CryptoPolicies& out) {
  bool done = false;
  for_each_line(text, [&](int line_no, std::string_view raw) {
    if (done) return;
    const std::string_view line = trim(raw.substr(0, raw.find('#')));
    if (line.empty()) return;
    done = true;
    const bool well_formed = std::all_of(line.begin(), line.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == ':' || c == '-' || c == '_';
    });
    if (!well_formed) {
      out.errors.push_back(Error{where(file, line_no), "not a policy name: " + std::string(line)});
      return;
    }
    out.policy = PolicySetting{"policy", std::string(line), file, line_no};
    std::size_t pos = 0;
    bool first = true;
    while (pos <= line.size()) {
      const auto colon = line.find(':', pos);
      const auto part = line.substr(pos, colon == std::string_view::npos ? line.size() - pos : colon - pos);
      if (first) {
        out.base_policy = std::string(part);
      } else if (!part.empty()) {
        out.sub_policies.emplace_back(part);
      }
      first = false;
      if (colon == std::string_view::npos) break;
      pos = colon + 1;
    }
  });
  if (!done) out.errors.push_back(Error{file, "names no policy"});
}

}  // namespace tlsdoctor::platform
