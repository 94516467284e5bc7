// Parsing of resolv.conf's "search" and "domain" lines.
#include "platform/resolv_conf.h"

namespace tlsdoctor::platform {
namespace {

// Splits on blanks; resolv.conf separates words with spaces or tabs.
std::vector<std::string> words(std::string_view line) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos < line.size()) {
    const auto start = line.find_first_not_of(" \t\r", pos);
    if (start == std::string_view::npos) break;
    const auto end = line.find_first_of(" \t\r", start);
    out.emplace_back(line.substr(start, end == std::string_view::npos ? std::string_view::npos
                                                                      : end - start));
    pos = end == std::string_view::npos ? line.size() : end;
  }
  return out;
}

}  // namespace

std::vector<std::string> resolv_conf_search_domains(std::string_view text) {
  std::vector<std::string> domains;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto end = text.find('\n', pos);
    const auto line = text.substr(pos, end == std::string_view::npos ? std::string_view::npos
                                                                     : end - pos);
    pos = end == std::string_view::npos ? text.size() : end + 1;
    auto w = words(line);
    if (w.empty() || (w[0] != "search" && w[0] != "domain")) continue;
    domains.clear();
    const std::size_t last = w[0] == "domain" ? std::min<std::size_t>(w.size(), 2) : w.size();
    for (std::size_t i = 1; i < last; ++i) {
      std::string d = w[i];
      if (d.starts_with('#') || d.starts_with(';')) break;
      while (!d.empty() && d.back() == '.') d.pop_back();
      if (!d.empty()) domains.push_back(std::move(d));
    }
  }
  return domains;
}

}  // namespace tlsdoctor::platform
