// Vets an observe target: strict host and SNI syntax, the port allowlist, one DNS lookup, every answer through the address policy.
#include "reference/server/target_vetting.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>

namespace tlsdoctor::reference {
namespace {

enum class HostKind { Name, Literal };

bool is_ldh(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex_digit(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// A label inet_aton and URL parsers (WHATWG "ends in a number") read as a number: decimal,
// octal with a leading 0, or hex with 0x.
bool is_numeric_label(std::string_view label) {
  if (label.empty()) return false;
  if (label.size() >= 2 && label[0] == '0' && (label[1] == 'x' || label[1] == 'X')) {
    return std::all_of(label.begin() + 2, label.end(), is_hex_digit);
  }
  return std::all_of(label.begin(), label.end(), is_digit);
}

std::string in_quotes(std::string_view text) { return "\"" + std::string(text) + "\""; }

// Why a character other than letters, digits, '-' and '.' is there: the shapes SSRF attempts take.
std::string bad_character_reason(std::string_view host, char c) {
  switch (c) {
    case '@': return in_quotes(host) + " carries userinfo ('@'): send the host name alone";
    case '/':
    case '\\': return in_quotes(host) + " carries a URL or a path ('" + std::string(1, c) + "'): send the host name alone";
    case '?':
    case '#': return in_quotes(host) + " carries a URL query or fragment: send the host name alone";
    case '%': return in_quotes(host) + " carries '%' (URL encoding or an IPv6 zone id): send the host name alone";
    default:
      return in_quotes(host) + " has '" + std::string(1, c) + "', which is not allowed in a host name (letters, digits, '-', '.')";
  }
}

// A host name of letters, digits and hyphens (RFC 1123 §2.1), with at most one trailing dot.
std::optional<std::string> dns_name_problem(std::string_view host) {
  std::string_view name = host;
  if (name.back() == '.') name.remove_suffix(1);
  if (name.empty()) return in_quotes(host) + " has no label";
  if (name.size() > kMaxDnsNameLength) {
    return "the host name is longer than " + std::to_string(kMaxDnsNameLength) + " characters";
  }
  std::string_view rest = name;
  while (true) {
    const auto dot = rest.find('.');
    const auto label = rest.substr(0, dot);
    if (label.empty()) return in_quotes(host) + " has an empty label";
    if (label.size() > kMaxDnsLabelLength) {
      return in_quotes(host) + " has a label longer than " + std::to_string(kMaxDnsLabelLength) + " characters";
    }
    if (label.front() == '-' || label.back() == '-') return in_quotes(host) + " has a label that starts or ends with '-'";
    if (dot == std::string_view::npos) {
      // getaddrinfo reads "2130706433", "0x7f.0.0.1", "0177.0.0.1", "127.1" as IPv4 without a
      // query, and a URL parser reads any name ending in a number as IPv4: only the canonical
      // dotted quad is an address, and nothing else ending in a number is a name.
      if (!is_numeric_label(label)) return std::nullopt;
      const std::string copy(host);
      in_addr read{};
      if (inet_aton(copy.c_str(), &read) != 0) {
        char text[INET_ADDRSTRLEN] = {};
        inet_ntop(AF_INET, &read, text, sizeof(text));
        return in_quotes(host) + " is a non-canonical IPv4 form that getaddrinfo reads as " + text +
               ": write an address as a dotted quad without leading zeros";
      }
      return in_quotes(host) + " ends in an all-numeric label, which resolvers and URL parsers may read as an IPv4 address";
    }
    rest.remove_prefix(dot + 1);
  }
}

// What kind of host this is, or why it is neither a DNS name nor a canonical IP literal.
tl::expected<HostKind, std::string> classify_host(std::string_view host) {
  if (host.empty()) return tl::unexpected(std::string("empty"));
  // Checked before the text is quoted back: an overlong host is not echoed whole.
  if (host.size() > kMaxDnsNameLength + 1) {
    return tl::unexpected("longer than " + std::to_string(kMaxDnsNameLength) + " characters");
  }
  for (std::size_t i = 0; i < host.size(); ++i) {
    const auto byte = static_cast<unsigned char>(host[i]);
    if (byte <= 0x20 || byte == 0x7f) {
      return tl::unexpected("whitespace or a control character at offset " + std::to_string(i));
    }
    if (byte >= 0x80) {
      return tl::unexpected(std::string("a non-ASCII character: send an internationalized name in its ASCII (xn--) form"));
    }
  }
  if (host.front() == '[') {
    const auto inner = host.size() >= 2 && host.back() == ']' ? host.substr(1, host.size() - 2) : std::string_view{};
    if (inner.find('%') != std::string_view::npos) {
      return tl::unexpected(in_quotes(host) + " has an IPv6 zone id, which names an interface of the reference's own machine");
    }
    const auto address = parse_ip_address(inner);
    if (!address || address->family != IpFamily::V6) {
      return tl::unexpected(in_quotes(host) + " is bracketed but not an IPv6 address");
    }
    return HostKind::Literal;
  }
  if (host.find(':') != std::string_view::npos) {
    if (const auto address = parse_ip_address(host); address && address->family == IpFamily::V6) return HostKind::Literal;
    if (const auto zone = host.find('%'); zone != std::string_view::npos && parse_ip_address(host.substr(0, zone))) {
      return tl::unexpected(in_quotes(host) + " has an IPv6 zone id, which names an interface of the reference's own machine");
    }
    if (host.find("://") != std::string_view::npos) {
      return tl::unexpected(in_quotes(host) + " is a URL: send the host name alone");
    }
    return tl::unexpected(in_quotes(host) + " has ':' (a port belongs in the port field; IPv6 must be a valid address)");
  }
  if (const auto bad = std::find_if_not(host.begin(), host.end(), [](char c) { return is_ldh(c) || c == '.'; });
      bad != host.end()) {
    return tl::unexpected(bad_character_reason(host, *bad));
  }
  if (parse_ip_address(host)) return HostKind::Literal;
  if (auto problem = dns_name_problem(host)) return tl::unexpected(std::move(*problem));
  return HostKind::Name;
}

// The SNI is a host name: never an IP literal and without the trailing dot (RFC 6066 §3).
std::optional<std::string> sni_problem(std::string_view sni) {
  const auto kind = classify_host(sni);
  if (!kind) return "sni: " + kind.error();
  if (*kind == HostKind::Literal) return "sni: " + in_quotes(sni) + " is an IP address; SNI carries host names only (RFC 6066)";
  if (sni.back() == '.') return "sni: " + in_quotes(sni) + " has a trailing dot; SNI carries the name without it (RFC 6066)";
  return std::nullopt;
}

std::string port_list(const std::vector<std::uint16_t>& ports) {
  std::string out;
  for (const auto port : ports) out += (out.empty() ? "" : ", ") + std::to_string(port);
  return out;
}

tl::unexpected<Refusal> refuse(std::string_view code, std::string message,
                               tls::Failure dns_failure = tls::Failure::None) {
  return tl::unexpected(Refusal{std::string(code), std::move(message), dns_failure});
}

}  // namespace

tl::expected<VettedTarget, Refusal> vet_target(const ObserveRequest& request, const VettingPolicy& policy,
                                               const Deadline& deadline, tls::AddressLookup lookup) {
  const auto kind = classify_host(request.host);
  if (!kind) return refuse(kRefusedBadRequest, "host: " + kind.error());
  if (request.sni) {
    if (auto problem = sni_problem(*request.sni)) return refuse(kRefusedBadRequest, std::move(*problem));
  }
  if (request.port == 0) return refuse(kRefusedBadRequest, "port: 0 is not a port");
  if (std::find(policy.ports.begin(), policy.ports.end(), request.port) == policy.ports.end()) {
    return refuse(kRefusedForbiddenTarget, "port " + std::to_string(request.port) +
                                               " is not one this reference observes (" + port_list(policy.ports) + ")");
  }

  // The one lookup: what it answers is what the probes dial.
  auto resolved = tls::resolve_host(request.host, request.port, {}, deadline, lookup);
  if (resolved.failure != tls::Failure::None) {
    return refuse(kRefusedUnresolvable,
                  in_quotes(request.host) + " did not resolve (" + std::string(tls::to_string(resolved.failure)) +
                      "): " + resolved.detail,
                  resolved.failure);
  }

  VettedTarget target;
  target.host = request.host;
  target.port = request.port;
  target.sni = request.sni;
  const auto count = resolved.addresses.size();
  for (std::size_t i = 0; i < count; ++i) {
    const auto& answer = resolved.addresses[i];
    const auto address = ip_address_of(answer.storage);
    std::optional<std::string> why = address ? refusal(policy.addresses, *address)
                                             : std::optional<std::string>("not an IPv4 or IPv6 address");
    if (!why) {
      target.addresses.push_back(answer.text);
      continue;
    }
    if (*kind == HostKind::Literal) {
      return refuse(kRefusedForbiddenTarget, answer.text + " is " + *why);
    }
    // Every answer is refused with the one that failed named: a name that mixes public and
    // private answers is how rebinding gets a private address dialed after a public check.
    return refuse(kRefusedForbiddenTarget, in_quotes(request.host) + " resolves to " + answer.text + " (answer " +
                                               std::to_string(i + 1) + " of " + std::to_string(count) + "), " + *why);
  }
  target.dialed = target.addresses.front();
  target.dns = std::move(resolved.observation);
  return target;
}

}  // namespace tlsdoctor::reference
