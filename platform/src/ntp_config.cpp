// Reads NTP server names from the configuration text of chrony, ntpd, OpenNTPD and systemd-timesyncd.
#include "platform/ntp_config.h"

#include <algorithm>

namespace tlsdoctor::platform {
namespace {

std::vector<std::string_view> words(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
    const auto start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r') ++i;
    if (i > start) out.push_back(line.substr(start, i - start));
  }
  return out;
}

template <typename Fn>
void for_each_line(std::string_view text, Fn&& fn) {
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    fn(text.substr(start, end - start));
    start = end + 1;
  }
}

void add_server(std::vector<std::string>& servers, std::string_view name) {
  if (servers.size() >= kMaxServersListed) return;
  if (std::find(servers.begin(), servers.end(), name) == servers.end()) servers.emplace_back(name);
}

}  // namespace

void keyword_servers(std::string_view text, std::vector<std::string>& servers) {
  for_each_line(text, [&](std::string_view line) {
    line = line.substr(0, line.find('#'));
    const auto w = words(line);
    if (w.size() >= 2 && (w[0] == "server" || w[0] == "servers" || w[0] == "pool" || w[0] == "peer")) {
      add_server(servers, w[1]);
    }
  });
}

// FallbackNTP= is what timesyncd uses when nothing else names a server.
void timesyncd_servers(std::string_view text, std::vector<std::string>& servers,
                       std::vector<std::string>& fallback) {
  for_each_line(text, [&](std::string_view line) {
    const auto w = words(line);
    if (w.empty() || w[0].front() == '#' || w[0].front() == ';') return;
    const auto eq = line.find('=');
    if (eq == std::string_view::npos) return;
    const auto key = words(line.substr(0, eq));
    if (key.size() != 1 || (key[0] != "NTP" && key[0] != "FallbackNTP")) return;
    auto& list = key[0] == "NTP" ? servers : fallback;
    const auto values = words(line.substr(eq + 1));
    if (values.empty()) list.clear();
    for (const auto v : values) add_server(list, v);
  });
}


}  // namespace tlsdoctor::platform
