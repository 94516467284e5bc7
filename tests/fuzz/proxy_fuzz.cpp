// Fuzz target: proxy URLs, the proxy environment variables with no_proxy, desktop ignore lists and PAC answers.
//
// Input lines: a proxy URL; a request URL; a no_proxy / ignore list; a PAC answer; then
// NAME=VALUE environment variables.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "fuzz_input.h"
#include "proxy/effective_proxy.h"
#include "proxy/environment_proxy.h"
#include "proxy/no_proxy.h"
#include "proxy/proxy_route.h"
#include "proxy/proxy_url.h"

namespace proxy = tlsdoctor::proxy;
using tlsdoctor::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto lines = tlsdoctor::fuzz::split_all(tlsdoctor::fuzz::as_text(data, size), '\n', 5);
  const auto line = [&](std::size_t i) { return i < lines.size() ? lines[i] : std::string_view(); };

  if (auto url = proxy::parse_proxy_url(line(0))) {
    require(url->port != 0, "a parsed proxy has a port");
    (void)proxy::redact_credentials(line(0));
  }

  proxy::RequestTarget target{"https", "example.org", 443};
  if (auto parsed = proxy::parse_request_url(line(1))) target = *parsed;
  (void)proxy::curl_no_proxy_match(target.host, line(2));
  (void)proxy::curl_no_proxy_ignored_entries(line(2));
  (void)proxy::desktop_ignore_match(target.host, target.port, line(2));

  if (auto routes = proxy::parse_pac_answer(line(3))) {
    require(!routes->empty(), "a PAC answer names at least one route");
    (void)proxy::display_routes(*routes);
  }

  const auto variables = tlsdoctor::fuzz::split_all(line(4), '\n', 64);
  const proxy::EnvironmentLookup lookup = [&](const std::string& name) -> std::optional<std::string> {
    for (const auto variable : variables) {
      const auto [key, value] = tlsdoctor::fuzz::split_once(variable, '=');
      if (key == name) return std::string(value);
    }
    return std::nullopt;
  };
  if (auto choice = proxy::choose_environment_proxy(target, lookup)) (void)proxy::redact_credentials(choice->value);
  return 0;
}
