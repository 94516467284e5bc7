// libcurl 7.88's choice of proxy variable for a URL, shared by the proxy check and the probe route.
#include "proxy/environment_proxy.h"

#include <cctype>

#include "proxy/no_proxy.h"

namespace tlsdoctor::proxy {
namespace {

std::string upper(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::optional<EnvironmentProxyChoice> choose_environment_proxy(const RequestTarget& target,
                                                               const EnvironmentLookup& lookup) {
  const auto value = [&](const std::string& name) -> std::optional<std::string> {
    auto v = lookup(name);
    if (!v || v->empty()) return std::nullopt;
    return v;
  };
  std::string name = target.scheme + "_proxy";
  auto proxy = value(name);
  if (!proxy && name != "http_proxy") {
    name = upper(name);
    proxy = value(name);
  }
  for (const char* fallback : {"all_proxy", "ALL_PROXY"}) {
    if (proxy) break;
    name = fallback;
    proxy = value(name);
  }
  if (!proxy) return std::nullopt;
  EnvironmentProxyChoice choice{name, *proxy, std::nullopt, std::nullopt};
  for (const char* no_proxy_name : {"no_proxy", "NO_PROXY"}) {
    auto list = value(no_proxy_name);
    if (!list) continue;
    if (auto match = curl_no_proxy_match(target.host, *list)) {
      choice.bypass_variable = no_proxy_name;
      choice.bypass_entry = *match;
    }
    break;  // libcurl reads NO_PROXY only when no_proxy is unset
  }
  return choice;
}

}  // namespace tlsdoctor::proxy
