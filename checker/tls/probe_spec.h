// What one probe does: where to connect, how the ClientHello looks, what to trust, and its deadlines.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tls/tls_version.h"

namespace tlsdoctor::tls {

// Per-stage deadlines of one probe when the spec does not set its own. A probe also stops at
// the overall deadline of the run it belongs to, whichever comes first.
inline constexpr std::chrono::milliseconds kDefaultDnsTimeout{5000};
inline constexpr std::chrono::milliseconds kDefaultConnectTimeout{5000};
inline constexpr std::chrono::milliseconds kDefaultProxyTimeout{8000};
inline constexpr std::chrono::milliseconds kDefaultHandshakeTimeout{8000};

// What goes into the server_name extension.
enum class SniMode {
  Host,   // the probe's host (not for IP literals, which RFC 6066 forbids in SNI)
  None,   // no SNI at all
  Name,   // ProbeSpec::sni_name, for "a different name" probes
};

// The anchors a peer chain is verified against. The handshake itself never refuses a chain
// (SSL_VERIFY_NONE), so every probe records the chain and verification is an observation.
struct TrustSpec {
  enum class Kind {
    System,   // OpenSSL's default locations, as every program on this machine uses them
    File,     // a PEM bundle (--ca-file)
    Anchors,  // certificates in memory (DER), as the lab and the reference use
  };
  Kind kind = Kind::System;
  std::string file;                                // Kind::File
  std::vector<std::vector<std::uint8_t>> anchors;  // Kind::Anchors

  static TrustSpec system() { return {}; }
  static TrustSpec from_file(std::string path) { return TrustSpec{Kind::File, std::move(path), {}}; }
  static TrustSpec from_anchors(std::vector<std::vector<std::uint8_t>> der) {
    return TrustSpec{Kind::Anchors, {}, std::move(der)};
  }
};

// How the TCP stream reaches the server.
struct RouteSpec {
  enum class Kind {
    Direct,     // DNS here, TCP from here
    HttpProxy,  // CONNECT through an HTTP proxy (libcurl speaks to the proxy, we speak TLS)
  };
  Kind kind = Kind::Direct;
  // Kind::HttpProxy: the proxy as libcurl takes it, credentials included
  // ("http://user:pass@proxy:3128"). Never rendered: observations carry only its display form.
  std::string proxy_url;

  static RouteSpec direct() { return {}; }
  static RouteSpec http_proxy(std::string url) { return RouteSpec{Kind::HttpProxy, std::move(url)}; }
};

// The ClientHello and cipher choices. Empty strings leave OpenSSL's (policy-applied) defaults.
struct ClientHelloSpec {
  std::optional<TlsVersion> min_version;  // nullopt: the system policy's floor
  std::optional<TlsVersion> max_version;  // nullopt: the highest this OpenSSL supports
  std::string cipher_list;   // OpenSSL cipher string for TLS 1.2 and below ("ECDHE+AESGCM")
  std::string ciphersuites;  // TLS 1.3 suites ("TLS_AES_128_GCM_SHA256:...")
  std::string groups;        // supported groups ("X25519:P-256")
  std::vector<std::string> alpn;  // offered in this order ("h2", "http/1.1")
  // Pad the ClientHello to at least this many bytes (handshake message, header included);
  // 0: no padding. See probe_variants.h for how padding is carried.
  std::size_t pad_to = 0;
  // Ask for a stapled OCSP response (status_request), as browsers do.
  bool request_ocsp = true;
  // The system policy's security level applies unless this is set. The reference measures
  // servers at level 0 so that only the server's choices show.
  std::optional<int> security_level;
};

struct ProbeSpec {
  std::string label;          // free text naming the probe in output ("tls1.2", "no-sni")
  std::string host;           // DNS name or IP literal; IPv6 literals without brackets
  std::uint16_t port = 443;
  // When not empty, DNS is skipped and these addresses are tried in order (curl's --resolve).
  std::vector<std::string> addresses;
  SniMode sni_mode = SniMode::Host;
  std::string sni_name;       // SniMode::Name
  ClientHelloSpec hello;
  TrustSpec trust;
  // Verification time; nullopt: now. Lets a check ask "would this chain pass at trusted time?".
  std::optional<std::chrono::system_clock::time_point> verify_time;
  // The name checked against the certificate; empty: the SNI name, else the host.
  std::string verify_name;
  RouteSpec route;
  std::chrono::milliseconds dns_timeout = kDefaultDnsTimeout;
  std::chrono::milliseconds connect_timeout = kDefaultConnectTimeout;
  std::chrono::milliseconds proxy_timeout = kDefaultProxyTimeout;
  std::chrono::milliseconds handshake_timeout = kDefaultHandshakeTimeout;
};

// The SNI this spec sends: nullopt for none (SniMode::None, or SniMode::Host with an IP literal).
std::optional<std::string> effective_sni(const ProbeSpec& spec);
// The name verification checks: verify_name, else the SNI, else the host.
std::string effective_verify_name(const ProbeSpec& spec);

}  // namespace tlsdoctor::tls
