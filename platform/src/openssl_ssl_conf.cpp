// Follows openssl_conf -> ssl_conf -> system_default in a parsed openssl.cnf and picks out the TLS commands.
#include <algorithm>
#include <cctype>
#include <charconv>

#include "platform/openssl_conf.h"
#include "platform/text.h"

namespace tlsdoctor::platform {
namespace {

constexpr std::string_view kDefaultSection = "default";

// SSL_CONF_FLAG_FILE commands are matched without regard to case, as libssl does.
}  // namespace

std::optional<int> seclevel_from_cipher_string(std::string_view cipher_string) {
  constexpr std::string_view kTag = "@SECLEVEL=";
  std::optional<int> level;
  for (auto at = cipher_string.find(kTag); at != std::string_view::npos; at = cipher_string.find(kTag, at + 1)) {
    const auto digits = cipher_string.substr(at + kTag.size());
    int value = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (ec == std::errc() && end != digits.data()) level = value;
  }
  return level;
}

OpenSslSettings openssl_settings_from(const std::vector<OpenSslConfEntry>& section) {
  OpenSslSettings settings;
  for (const auto& entry : section) {
    PolicySetting setting{entry.name, entry.value, entry.file, entry.line};
    settings.commands.push_back(setting);
    std::string_view name = entry.name;
    if (name.size() > 4 && iequals(name.substr(0, 4), "TLS.")) name.remove_prefix(4);
    if (iequals(name, "MinProtocol")) {
      settings.min_protocol = setting;
    } else if (iequals(name, "MaxProtocol")) {
      settings.max_protocol = setting;
    } else if (iequals(name, "Protocol")) {
      settings.protocol = setting;
    } else if (iequals(name, "CipherString")) {
      settings.cipher_string = setting;
      if (auto level = seclevel_from_cipher_string(entry.value)) settings.seclevel = level;
    } else if (iequals(name, "Ciphersuites")) {
      settings.ciphersuites = setting;
    } else if (iequals(name, "Options")) {
      settings.options = setting;
    } else if (iequals(name, "Groups") || iequals(name, "Curves")) {
      settings.groups = setting;
    }
  }
  return settings;
}

void follow_ssl_conf_chain(const OpenSslConf& conf, OpenSslPolicy& policy) {
  const auto* top = conf.section(kDefaultSection);
  std::optional<OpenSslConfEntry> init;
  if (top != nullptr) {
    for (const auto& e : *top) {
      if (e.name == "openssl_conf") init = e;
    }
  }
  if (!init) return;  // no openssl_conf: OpenSSL applies nothing from this file
  policy.init_section = init->value;
  const auto* init_entries = conf.section(init->value);
  if (init_entries == nullptr) {
    policy.notes.push_back("section [" + init->value + "] named by openssl_conf (" + init->file + ":" +
                           std::to_string(init->line) + ") does not exist");
    return;
  }
  // Module names may carry a ".suffix" (OpenSSL's module_find ignores it).
  const OpenSslConfEntry* ssl_conf = nullptr;
  for (const auto& e : *init_entries) {
    if (e.name.substr(0, e.name.find('.')) == "ssl_conf") ssl_conf = &e;
  }
  if (ssl_conf == nullptr) return;
  policy.ssl_conf_section = ssl_conf->value;
  const auto* ssl_entries = conf.section(ssl_conf->value);
  if (ssl_entries == nullptr) {
    policy.notes.push_back("section [" + ssl_conf->value + "] named by ssl_conf (" + ssl_conf->file + ":" +
                           std::to_string(ssl_conf->line) + ") does not exist");
    return;
  }
  // libssl takes the first entry of that name (conf_ssl_name_find).
  const auto system_default = std::find_if(ssl_entries->begin(), ssl_entries->end(),
                                           [](const OpenSslConfEntry& e) { return e.name == "system_default"; });
  if (system_default == ssl_entries->end()) return;
  policy.system_default_section = system_default->value;
  const auto* commands = conf.section(system_default->value);
  if (commands == nullptr) {
    policy.notes.push_back("section [" + system_default->value + "] named by system_default (" +
                           system_default->file + ":" + std::to_string(system_default->line) +
                           ") does not exist");
    return;
  }
  policy.system_default = openssl_settings_from(*commands);
}

}  // namespace tlsdoctor::platform
