// The names a probe spec implies: what goes into SNI and what the certificate is checked against.
#include "tls/probe_spec.h"

#include "tls/dns.h"

namespace tlsdoctor::tls {
namespace {

// RFC 6066 section 3: the host name is sent without a trailing dot.
std::string without_trailing_dot(std::string name) {
  if (!name.empty() && name.back() == '.') name.pop_back();
  return name;
}

}  // namespace

std::optional<std::string> effective_sni(const ProbeSpec& spec) {
  std::string name;
  switch (spec.sni_mode) {
    case SniMode::None: return std::nullopt;
    case SniMode::Host: name = spec.host; break;
    case SniMode::Name: name = spec.sni_name; break;
  }
  name = without_trailing_dot(std::move(name));
  // RFC 6066 forbids IP literals in server_name; a client that sends one is not what any
  // browser does, so the probe would measure something no user sees.
  if (name.empty() || is_ip_literal(name)) return std::nullopt;
  return name;
}

std::string effective_verify_name(const ProbeSpec& spec) {
  if (!spec.verify_name.empty()) return spec.verify_name;
  if (auto sni = effective_sni(spec)) return *sni;
  std::string host = spec.host;
  // An IPv6 literal is checked against iPAddress SANs in its plain form.
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  return without_trailing_dot(std::move(host));
}

}  // namespace tlsdoctor::tls
