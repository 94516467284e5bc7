// Which NTP clients are configured on Linux: systemd-timesyncd, chrony, ntpd/ntpsec, OpenNTPD.
#include <algorithm>
#include <array>
#include <filesystem>
#include <system_error>

#include "platform/clock.h"
#include "platform/file_read.h"
#include "platform/ntp_config.h"

namespace tlsdoctor::platform {
namespace {

namespace fs = std::filesystem;

// Drop-in directories hold a handful of files; stop listing after this many.
constexpr std::size_t kMaxDropIns = 64;

enum class Syntax {
  Keywords,   // "server NAME ...", "pool NAME ..." lines (chrony, ntpd, OpenNTPD)
  Timesyncd,  // "[Time]" section with "NTP=" and "FallbackNTP=" (systemd.syntax(7))
};

struct ClientSpec {
  std::string_view name;
  std::array<std::string_view, 2> configs;  // first one found wins; "" = unused slot
  std::array<std::string_view, 3> units;    // canonical name first, then aliases
  Syntax syntax;
};

// Paths as each distribution packages them (Debian and RHEL differ for chrony and ntpd).
constexpr std::array<ClientSpec, 4> kClients{{
    {"systemd-timesyncd", {"/etc/systemd/timesyncd.conf", ""},
     {"systemd-timesyncd.service", "dbus-org.freedesktop.timesync1.service", ""}, Syntax::Timesyncd},
    {"chrony", {"/etc/chrony/chrony.conf", "/etc/chrony.conf"}, {"chrony.service", "chronyd.service", ""},
     Syntax::Keywords},
    {"ntpd", {"/etc/ntpsec/ntp.conf", "/etc/ntp.conf"}, {"ntpsec.service", "ntp.service", "ntpd.service"},
     Syntax::Keywords},
    {"openntpd", {"/etc/openntpd/ntpd.conf", "/etc/ntpd.conf"}, {"openntpd.service", "", ""},
     Syntax::Keywords},
}};

constexpr std::string_view kEtcUnits = "/etc/systemd/system";
// Where packages install unit files (merged-/usr systems have both, split-/usr only one).
constexpr std::array<std::string_view, 3> kUnitDirs{"/etc/systemd/system", "/lib/systemd/system",
                                                    "/usr/lib/systemd/system"};

bool path_exists(const fs::path& p) {
  std::error_code ec;
  return fs::exists(fs::symlink_status(p, ec));  // a link counts even when dangling
}

std::vector<fs::path> drop_ins(const Env& env, std::string_view dir, NtpFacts& facts) {
  std::vector<fs::path> files;
  std::error_code ec;
  const auto real = env.path(dir);
  if (!fs::is_directory(real, ec)) return files;
  for (fs::directory_iterator it(real, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().extension() == ".conf") files.push_back(it->path());
    if (files.size() >= kMaxDropIns) break;
  }
  if (ec) facts.errors.push_back(Error{std::string(dir), "cannot list: " + ec.message()});
  std::sort(files.begin(), files.end(), [](const fs::path& a, const fs::path& b) {
    return a.filename() < b.filename();  // systemd applies drop-ins in file-name order
  });
  return files;
}

void read_servers(const Env& env, const ClientSpec& spec, NtpClient& client, NtpFacts& facts) {
  auto text = read_file(env, *client.config_path);
  if (!text) {
    facts.errors.push_back(text.error());
    return;
  }
  if (spec.syntax == Syntax::Keywords) {
    keyword_servers(*text, client.servers);
    return;
  }
  std::vector<std::string> fallback;
  timesyncd_servers(*text, client.servers, fallback);
  for (const auto& file : drop_ins(env, "/etc/systemd/timesyncd.conf.d", facts)) {
    if (auto more = read_file_at(env, file)) {
      timesyncd_servers(*more, client.servers, fallback);
    } else {
      facts.errors.push_back(more.error());
    }
  }
  if (client.servers.empty()) client.servers = std::move(fallback);
}

// Every "*.wants" directory that can enable a unit at boot.
std::vector<fs::path> wants_dirs(const Env& env) {
  std::vector<fs::path> dirs;
  for (const auto dir : kUnitDirs) {
    std::error_code ec;
    for (fs::directory_iterator it(env.path(dir), ec), end; !ec && it != end; it.increment(ec)) {
      if (it->path().extension() == ".wants" && it->is_directory(ec)) dirs.push_back(it->path());
    }
  }
  return dirs;
}

void read_unit_state(const Env& env, const ClientSpec& spec, const std::vector<fs::path>& wants,
                     NtpClient& client) {
  for (std::size_t i = 0; i < spec.units.size(); ++i) {
    const auto unit = spec.units[i];
    if (unit.empty()) continue;
    for (const auto dir : kUnitDirs) {
      const auto file = env.path(dir) / unit;
      std::error_code ec;
      if (!fs::is_symlink(fs::symlink_status(file, ec)) && fs::is_regular_file(file, ec)) {
        client.unit_installed = true;
      }
    }
    std::error_code ec;
    const auto etc_link = env.path(kEtcUnits) / unit;
    if (fs::is_symlink(fs::symlink_status(etc_link, ec))) {
      const auto target = fs::read_symlink(etc_link, ec);
      if (!ec && target == "/dev/null") {
        client.unit_masked = true;
      } else if (!ec && i > 0) {
        client.unit_enabled = true;  // an alias link is what `systemctl enable` writes for Alias=
      }
    }
    for (const auto& dir : wants) {
      if (path_exists(dir / unit)) client.unit_enabled = true;
    }
  }
}

}  // namespace

NtpFacts ntp_facts(const Env& env) {
  NtpFacts facts;
  std::error_code ec;
  facts.systemd = fs::is_directory(env.path(kEtcUnits), ec);
  const auto wants = wants_dirs(env);
  for (const auto& spec : kClients) {
    NtpClient client;
    client.name = std::string(spec.name);
    client.unit = std::string(spec.units.front());
    for (const auto config : spec.configs) {
      if (!config.empty() && path_exists(env.path(config))) {
        client.config_path = std::string(config);
        break;
      }
    }
    read_unit_state(env, spec, wants, client);
    if (!client.config_path && !client.unit_installed && !client.unit_enabled) continue;
    if (client.config_path) read_servers(env, spec, client, facts);
    facts.clients.push_back(std::move(client));
  }
  return facts;
}

}  // namespace tlsdoctor::platform
