// Parses a hosts table: address, then names, one entry per line, # comments.
#include "platform/hosts_file.h"

#include "platform/text.h"

namespace tlsdoctor::platform {
namespace {

std::vector<std::string_view> fields(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    const std::size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
    if (i > start) out.push_back(line.substr(start, i - start));
  }
  return out;
}

std::string_view without_final_dot(std::string_view name) {
  return name.size() > 1 && name.back() == '.' ? name.substr(0, name.size() - 1) : name;
}

}  // namespace

std::vector<HostsEntry> parse_hosts_file(std::string_view text) {
  std::vector<HostsEntry> out;
  int number = 0;
  while (!text.empty()) {
    const auto end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    ++number;
    line = line.substr(0, line.find('#'));
    const auto parts = fields(trim(line));
    if (parts.size() < 2) continue;
    HostsEntry entry{std::string(parts[0]), {}, number};
    for (std::size_t i = 1; i < parts.size(); ++i) entry.names.emplace_back(parts[i]);
    out.push_back(std::move(entry));
  }
  return out;
}

std::vector<std::string> hosts_addresses(const std::vector<HostsEntry>& entries, std::string_view name) {
  std::vector<std::string> out;
  const auto wanted = without_final_dot(name);
  for (const auto& entry : entries) {
    for (const auto& n : entry.names) {
      if (iequals(without_final_dot(n), wanted)) {
        out.push_back(entry.address);
        break;
      }
    }
  }
  return out;
}

}  // namespace tlsdoctor::platform
