// Routes and the parser for PAC answers ("PROXY h:p; DIRECT").
#include "proxy/proxy_route.h"

#include <array>
#include <cctype>
#include <utility>
#include "platform/text.h"

namespace tlsdoctor::proxy {
namespace {

using platform::trim;
std::string upper(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

struct PacKeyword {
  std::string_view word;
  ProxyScheme scheme;
  std::uint16_t default_port;  // what browsers assume when the item names no port
};

constexpr std::array kKeywords{
    PacKeyword{"PROXY", ProxyScheme::Http, 80},     PacKeyword{"HTTP", ProxyScheme::Http, 80},
    PacKeyword{"HTTPS", ProxyScheme::Https, 443},   PacKeyword{"SOCKS", ProxyScheme::Socks4, 1080},
    PacKeyword{"SOCKS4", ProxyScheme::Socks4, 1080}, PacKeyword{"SOCKS5", ProxyScheme::Socks5, 1080},
};

}  // namespace

std::string ProxyRoute::display() const { return direct ? "DIRECT" : proxy.display(); }

bool ProxyRoute::same_as(const ProxyRoute& other) const {
  if (direct || other.direct) return direct == other.direct;
  return proxy.same_endpoint(other.proxy);
}

std::string display_routes(const std::vector<ProxyRoute>& routes) {
  std::string out;
  for (const auto& r : routes) out += (out.empty() ? "" : "; ") + r.display();
  return out;
}

tl::expected<std::vector<ProxyRoute>, Error> parse_pac_answer(std::string_view answer) {
  std::vector<ProxyRoute> routes;
  std::size_t pos = 0;
  while (pos <= answer.size()) {
    const auto end = answer.find(';', pos);
    const auto item = trim(answer.substr(pos, end == std::string_view::npos ? end : end - pos));
    pos = end == std::string_view::npos ? answer.size() + 1 : end + 1;
    if (item.empty()) continue;
    const auto space = item.find_first_of(" \t");
    const std::string word = upper(item.substr(0, space));
    if (word == "DIRECT" && space == std::string_view::npos) {
      routes.push_back(ProxyRoute::make_direct());
      continue;
    }
    const PacKeyword* keyword = nullptr;
    for (const auto& k : kKeywords) {
      if (k.word == word) keyword = &k;
    }
    if (keyword == nullptr || space == std::string_view::npos) {
      return tl::unexpected(Error{redact_credentials(item), "not a PAC proxy directive"});
    }
    const auto address = trim(item.substr(space));
    auto parsed = parse_proxy_url(std::string(to_string(keyword->scheme)) + "://" +
                                  std::string(address));
    if (!parsed) return tl::unexpected(Error{redact_credentials(item), parsed.error().message});
    if (!parsed->port_given) parsed->port = keyword->default_port;
    routes.push_back(ProxyRoute::via(std::move(*parsed)));
  }
  if (routes.empty()) routes.push_back(ProxyRoute::make_direct());
  return routes;
}

}  // namespace tlsdoctor::proxy
