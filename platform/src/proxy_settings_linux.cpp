// Proxy settings on Linux: environment variables, /etc/environment, GNOME through gsettings,
// KDE's kioslaverc, and the WPAD URL a desktop's auto-detection would try.
#include <array>
#include <map>
#include <utility>

#include "platform/environment_file.h"
#include "platform/file_read.h"
#include "platform/gsettings_text.h"
#include "platform/ini_file.h"
#include "platform/program.h"
#include "platform/proxy_settings.h"
#include "platform/resolv_conf.h"

namespace tlsdoctor::platform {
namespace {

// Both spellings of every variable a Linux tool reads for its proxy. Lower case first: that is
// the order libcurl tries them (and it never reads HTTP_PROXY at all).
constexpr std::array kProxyVariables{
    std::pair{"http_proxy", ProxyRole::Http},   std::pair{"HTTP_PROXY", ProxyRole::Http},
    std::pair{"https_proxy", ProxyRole::Https}, std::pair{"HTTPS_PROXY", ProxyRole::Https},
    std::pair{"ftp_proxy", ProxyRole::Ftp},     std::pair{"FTP_PROXY", ProxyRole::Ftp},
    std::pair{"all_proxy", ProxyRole::All},     std::pair{"ALL_PROXY", ProxyRole::All},
    std::pair{"socks_proxy", ProxyRole::Socks}, std::pair{"SOCKS_PROXY", ProxyRole::Socks},
    std::pair{"no_proxy", ProxyRole::NoProxy},  std::pair{"NO_PROXY", ProxyRole::NoProxy},
};

std::optional<ProxyRole> variable_role(std::string_view name) {
  for (const auto& [var, role] : kProxyVariables) {
    if (name == var) return role;
  }
  return std::nullopt;
}

ProxySource read_process_environment(const Env& env) {
  ProxySource src;
  src.kind = ProxySourceKind::ProcessEnvironment;
  src.origin = "process environment";
  src.readable = true;
  for (const auto& [name, role] : kProxyVariables) {
    if (auto value = env.var(name)) src.entries.push_back({role, name, *value, std::nullopt});
  }
  return src;
}

ProxySource read_etc_environment(const Env& env) {
  ProxySource src;
  src.kind = ProxySourceKind::EtcEnvironment;
  src.origin = "/etc/environment";
  auto text = read_file(env, "/etc/environment");
  if (!text) {
    src.unavailable_reason = text.error().message;
    return src;
  }
  src.readable = true;
  for (auto& assignment : parse_environment_file(*text)) {
    if (auto role = variable_role(assignment.name)) {
      src.entries.push_back({*role, std::move(assignment.name), std::move(assignment.value),
                             std::nullopt});
    }
  }
  return src;
}

// --- GNOME -------------------------------------------------------------------------------

constexpr std::string_view kGnomeSchema = "org.gnome.system.proxy";

// "host:port", with IPv6 literals in brackets so that the result parses as an authority.
std::string join_host_port(const std::string& host, const std::string& port) {
  const bool v6 = host.find(':') != std::string::npos && !host.starts_with('[');
  return (v6 ? "[" + host + "]" : host) + ":" + port;
}

ProxySource read_gnome(const Env& env) {
  ProxySource src;
  src.kind = ProxySourceKind::Gnome;
  src.origin = "gsettings list-recursively " + std::string(kGnomeSchema);
  // One listing instead of one `gsettings get` per key: each run costs ~10 ms, and the
  // schema has a dozen keys we care about.
  auto run = run_program(env, {"gsettings", "list-recursively", std::string(kGnomeSchema)},
                         env.program_timeout);
  if (!run) {
    src.unavailable_reason = run.error().message == "not installed"
                                 ? "gsettings is not installed"
                                 : "gsettings: " + run.error().message;
    return src;
  }
  if (run->exit_code != 0) {
    src.unavailable_reason = "schema " + std::string(kGnomeSchema) +
                             " is not installed (gsettings exit status " +
                             std::to_string(run->exit_code) + ")";
    return src;
  }
  std::map<std::pair<std::string, std::string>, std::string> values;
  for (auto& line : parse_gsettings_listing(run->out)) {
    // The listing prints the stored proxy password in clear; it is never kept.
    if (line.key == "authentication-password" || line.key == "authentication-user") continue;
    values[{std::move(line.schema), std::move(line.key)}] = std::move(line.value);
  }
  if (values.empty()) {
    src.unavailable_reason = "gsettings printed no keys for " + std::string(kGnomeSchema);
    return src;
  }
  src.readable = true;
  const auto get = [&](std::string_view schema, std::string_view key) -> std::optional<std::string> {
    auto it = values.find({std::string(schema), std::string(key)});
    if (it == values.end()) return std::nullopt;
    return it->second;
  };
  const std::string base(kGnomeSchema);
  const auto text = [&](std::string_view schema, std::string_view key) {
    auto raw = get(schema, key);
    return raw ? gvariant_string(*raw).value_or(*raw) : std::string();
  };

  src.mode_raw = text(base, "mode");
  src.entries.push_back({ProxyRole::Mode, base + " mode", src.mode_raw, std::nullopt});
  const std::string pac_url = text(base, "autoconfig-url");
  if (src.mode_raw == "none") src.mode = DesktopProxyMode::None;
  if (src.mode_raw == "manual") src.mode = DesktopProxyMode::Manual;
  if (src.mode_raw == "auto") {
    src.mode = pac_url.empty() ? DesktopProxyMode::AutoDetect : DesktopProxyMode::PacUrl;
  }
  if (!pac_url.empty()) {
    src.entries.push_back({ProxyRole::PacUrl, base + " autoconfig-url", pac_url, std::nullopt});
  }
  if (auto raw = get(base, "ignore-hosts")) {
    if (auto hosts = gvariant_string_array(*raw); hosts && !hosts->empty()) {
      std::string joined;
      for (const auto& h : *hosts) joined += (joined.empty() ? "" : ",") + h;
      src.entries.push_back({ProxyRole::NoProxy, base + " ignore-hosts", joined, std::nullopt});
    }
  }
  for (const auto& [sub, role] : {std::pair{"http", ProxyRole::Http},
                                  std::pair{"https", ProxyRole::Https},
                                  std::pair{"ftp", ProxyRole::Ftp},
                                  std::pair{"socks", ProxyRole::Socks}}) {
    const std::string schema = base + "." + sub;
    const std::string host = text(schema, "host");
    if (host.empty()) continue;
    src.entries.push_back({role, schema + " host:port",
                           join_host_port(host, get(schema, "port").value_or("0")), std::nullopt});
  }
  if (auto auth = get(base + ".http", "use-authentication")) {
    src.entries.push_back({ProxyRole::Other, base + ".http use-authentication", *auth, std::nullopt});
  }
  return src;
}

// --- KDE ---------------------------------------------------------------------------------

constexpr std::string_view kKdeGroup = "Proxy Settings";

ProxySource read_kde(const Env& env) {
  ProxySource src;
  src.kind = ProxySourceKind::Kde;
  std::filesystem::path config_dir;
  if (auto xdg = env.var("XDG_CONFIG_HOME"); xdg && xdg->starts_with('/')) {
    config_dir = *xdg;
  } else if (auto home = env.home()) {
    config_dir = *home / ".config";
  } else {
    src.origin = "~/.config/kioslaverc";
    src.unavailable_reason = "no home directory to look in";
    return src;
  }
  const std::string file = (config_dir / "kioslaverc").string();
  src.origin = file;
  auto text = read_file(env, file);
  if (!text) {
    src.unavailable_reason = text.error().message;
    return src;
  }
  src.readable = true;
  const IniFile ini = parse_ini(*text);
  src.mode_raw = ini.get(kKdeGroup, "ProxyType").value_or("");
  if (!src.mode_raw.empty()) {
    src.entries.push_back({ProxyRole::Mode, "ProxyType", src.mode_raw, std::nullopt});
  }
  static constexpr std::array kModes{DesktopProxyMode::None, DesktopProxyMode::Manual,
                                     DesktopProxyMode::PacUrl, DesktopProxyMode::AutoDetect,
                                     DesktopProxyMode::FromEnvironment};
  if (src.mode_raw.size() == 1 && src.mode_raw[0] >= '0' && src.mode_raw[0] <= '4') {
    src.mode = kModes[static_cast<std::size_t>(src.mode_raw[0] - '0')];
  }
  for (const auto& [key, role] : {std::pair{"httpProxy", ProxyRole::Http},
                                  std::pair{"httpsProxy", ProxyRole::Https},
                                  std::pair{"ftpProxy", ProxyRole::Ftp},
                                  std::pair{"socksProxy", ProxyRole::Socks},
                                  std::pair{"NoProxyFor", ProxyRole::NoProxy},
                                  std::pair{"Proxy Config Script", ProxyRole::PacUrl},
                                  std::pair{"ReversedException", ProxyRole::Other}}) {
    auto value = ini.get(kKdeGroup, key);
    if (!value) continue;
    ProxyEntry entry{role, key, *value, std::nullopt};
    const bool names_variable = role != ProxyRole::PacUrl && role != ProxyRole::Other;
    if (src.mode == DesktopProxyMode::FromEnvironment && names_variable && !value->empty()) {
      std::string_view name = *value;
      if (name.starts_with('$')) name.remove_prefix(1);
      entry.variable_value = env.var(name);
    }
    src.entries.push_back(std::move(entry));
  }
  return src;
}

// --- WPAD --------------------------------------------------------------------------------

// Only wpad.<search domain> itself: walking up the domain ("devolution") is how WPAD
// requests leak to public suffixes such as wpad.co.uk, so it is not offered as a candidate.
void add_wpad_candidates(const Env& env, ProxySettings& settings) {
  auto text = read_file(env, "/etc/resolv.conf");
  if (!text) {
    settings.wpad_unavailable_reason = "cannot read /etc/resolv.conf: " + text.error().message;
    return;
  }
  for (const auto& domain : resolv_conf_search_domains(*text)) {
    settings.wpad_urls.push_back("http://wpad." + domain + "/wpad.dat");
  }
  if (settings.wpad_urls.empty()) {
    settings.wpad_unavailable_reason = "no search domain in /etc/resolv.conf";
  }
}

}  // namespace

ProxySettings read_proxy_settings(const Env& env) {
  ProxySettings settings;
  settings.sources.push_back(read_process_environment(env));
  settings.sources.push_back(read_etc_environment(env));
  settings.sources.push_back(read_gnome(env));
  settings.sources.push_back(read_kde(env));
  settings.current_desktop = env.var("XDG_CURRENT_DESKTOP").value_or("");
  for (const auto& src : settings.sources) {
    if (src.mode == DesktopProxyMode::AutoDetect) settings.wpad_requested = true;
  }
  if (settings.wpad_requested) add_wpad_candidates(env, settings);
  return settings;
}

}  // namespace tlsdoctor::platform
