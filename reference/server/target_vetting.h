// The SSRF guard of POST /v1/observe: is the target's host well-formed, its port allowed, and every DNS answer dialable?
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <tl/expected.hpp>

#include "core/deadline.h"
#include "reference/protocol/messages.h"
#include "reference/server/address_policy.h"
#include "tls/dns.h"
#include "tls/failure.h"
#include "tls/handshake.h"

namespace tlsdoctor::reference {

// TLS-on-connect service ports: HTTPS and its common alternative, SMTPS submission (465) and
// SMTP submission (587: STARTTLS is not spoken, but servers answering TLS there are common
// enough to observe), LDAPS, DNS over TLS, FTPS control, IMAPS, POP3S. Anything else (SSH,
// databases, admin consoles) is not what observe is for, and is where SSRF does harm.
inline constexpr std::array<std::uint16_t, 9> kTlsServicePorts = {443, 8443, 465, 587, 636, 853, 990, 993, 995};

// A DNS name is at most 253 characters (RFC 1035 §2.3.4, 255 octets on the wire) and a label 63.
inline constexpr std::size_t kMaxDnsNameLength = 253;
inline constexpr std::size_t kMaxDnsLabelLength = 63;

struct VettingPolicy {
  AddressPolicy addresses;
  std::vector<std::uint16_t> ports{kTlsServicePorts.begin(), kTlsServicePorts.end()};
};

// A target the probes may dial. They must dial `dialed` itself (ProbeSpec::addresses), never
// the name again: a second lookup could answer differently (DNS rebinding).
struct VettedTarget {
  std::string host;  // as the request gave it
  std::uint16_t port = 0;
  std::optional<std::string> sni;
  std::vector<std::string> addresses;  // every DNS answer, in the resolver's order, each vetted
  std::string dialed;                  // the first answer
  tls::DnsObservation dns;             // source, answers and time, for the probe records
};

// Refusal codes; the handler turns each into a signed error answer.
// bad_request (HTTP 400): the host or SNI is not a DNS name or canonical IP literal.
inline constexpr std::string_view kRefusedBadRequest = "bad_request";
// forbidden_target (HTTP 403): the port is not allowed, or an answer is an address the guard refuses.
inline constexpr std::string_view kRefusedForbiddenTarget = "forbidden_target";
// unresolvable (HTTP 422 suggested): the reference could not resolve the name (nxdomain, no
// address, resolver error, timeout). `dns_failure` says which; the name may well resolve
// elsewhere, so this is an observation the client may want to show.
inline constexpr std::string_view kRefusedUnresolvable = "unresolvable";

struct Refusal {
  std::string code;     // one of the kRefused* codes
  std::string message;  // plain words naming what was wrong, safe to send to the client
  tls::Failure dns_failure = tls::Failure::None;  // the dns_* class when code is unresolvable
};

// Checks the request's syntax and port, then resolves the host ONCE (an IP literal is not
// resolved) and checks every answer against the policy. Any refused answer refuses the whole
// target: a name that mixes public and private answers is a rebinding attempt. Never connects.
// `lookup` stands in for getaddrinfo in tests.
tl::expected<VettedTarget, Refusal> vet_target(const ObserveRequest& request, const VettingPolicy& policy,
                                               const Deadline& deadline, tls::AddressLookup lookup = &::getaddrinfo);

}  // namespace tlsdoctor::reference
