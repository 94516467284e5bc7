// Serializes a Handshake to the report's probe object; the only place that decides its JSON shape.
#include "tls/handshake_json.h"

#include <fmt/format.h>

#include "core/base64.h"
#include "core/time_format.h"
#include "pki/certificate.h"
#include "proxy/proxy_url.h"
#include "tls/tls_names.h"

namespace tlsdoctor::tls {
namespace {

using Json = nlohmann::ordered_json;

std::int64_t ms(std::chrono::milliseconds d) { return static_cast<std::int64_t>(d.count()); }

Json nullable(std::string_view text) { return text.empty() ? Json(nullptr) : Json(std::string(text)); }

std::string version_text(const std::optional<TlsVersion>& v) {
  return v ? std::string(short_name(*v)) : std::string();
}

std::string sni_mode_text(SniMode mode) {
  switch (mode) {
    case SniMode::Host: return "host";
    case SniMode::None: return "none";
    case SniMode::Name: return "name";
  }
  return "host";
}

std::string trust_text(const TrustSpec& trust) {
  switch (trust.kind) {
    case TrustSpec::Kind::System: return "system";
    case TrustSpec::Kind::File: return "file:" + trust.file;
    case TrustSpec::Kind::Anchors: return fmt::format("anchors:{}", trust.anchors.size());
  }
  return "system";
}

std::string proxy_display(const std::string& url) {
  auto parsed = proxy::parse_proxy_url(url);
  return parsed ? parsed->display() : proxy::redact_credentials(url);
}

Json spec_json(const ProbeSpec& spec) {
  Json j;
  j["host"] = spec.host;
  j["port"] = spec.port;
  j["addresses"] = spec.addresses;
  j["sni_mode"] = sni_mode_text(spec.sni_mode);
  const auto sni = effective_sni(spec);
  j["sni"] = sni ? Json(*sni) : Json(nullptr);
  j["min_version"] = nullable(version_text(spec.hello.min_version));
  j["max_version"] = nullable(version_text(spec.hello.max_version));
  j["cipher_list"] = nullable(spec.hello.cipher_list);
  j["ciphersuites"] = nullable(spec.hello.ciphersuites);
  j["groups"] = nullable(spec.hello.groups);
  j["alpn"] = spec.hello.alpn;
  j["pad_to"] = spec.hello.pad_to;
  j["security_level"] = spec.hello.security_level ? Json(*spec.hello.security_level) : Json(nullptr);
  j["trust"] = trust_text(spec.trust);
  j["verify_time"] = spec.verify_time ? Json(rfc3339_utc(*spec.verify_time)) : Json(nullptr);
  j["verify_name"] = effective_verify_name(spec);
  j["route"] = spec.route.kind == RouteSpec::Kind::Direct ? "direct" : "http_proxy";
  j["proxy"] = spec.route.kind == RouteSpec::Kind::Direct ? Json(nullptr)
                                                            : Json(proxy_display(spec.route.proxy_url));
  j["timeouts_ms"] = {{"dns", ms(spec.dns_timeout)},
                      {"connect", ms(spec.connect_timeout)},
                      {"proxy", ms(spec.proxy_timeout)},
                      {"handshake", ms(spec.handshake_timeout)}};
  return j;
}

std::string dns_source_text(DnsObservation::Source source) {
  switch (source) {
    case DnsObservation::Source::Resolver: return "resolver";
    case DnsObservation::Source::Given: return "given";
    case DnsObservation::Source::Literal: return "literal";
    case DnsObservation::Source::Proxy: return "proxy";
  }
  return "resolver";
}

Json failure_json(Failure failure) {
  return failure == Failure::None ? Json(nullptr) : Json(std::string(to_string(failure)));
}

template <typename T, typename Namer>
Json names(const std::vector<T>& values, Namer namer) {
  Json out = Json::array();
  for (const auto v : values) out.push_back(namer(v));
  return out;
}

Json client_hello_json(const Handshake& h) {
  if (h.client_hello_raw.empty()) return nullptr;
  Json j;
  j["bytes"] = h.client_hello_raw.size();
  j["sent"] = h.client_hellos_sent;
  j["ja3"] = h.ja3;
  j["ja3_hash"] = h.ja3_hash;
  j["ja4"] = h.ja4;
  if (h.client_hello) {
    const ClientHello& c = *h.client_hello;
    j["legacy_version"] = version_name(c.legacy_version);
    j["supported_versions"] = names(c.supported_versions, version_name);
    j["cipher_suites"] = names(c.cipher_suites, cipher_suite_name);
    j["groups"] = names(c.supported_groups, group_name);
    j["signature_algorithms"] = names(c.signature_algorithms, signature_scheme_name);
    Json extensions = Json::array();
    for (const auto& e : c.extensions) {
      extensions.push_back({{"type", e.type}, {"name", extension_name(e.type)}, {"length", e.length}});
    }
    j["extensions"] = std::move(extensions);
    j["sni"] = c.sni ? Json(*c.sni) : Json(nullptr);
    j["alpn"] = c.alpn;
    Json shares = Json::array();
    for (const auto& k : c.key_shares) shares.push_back({{"group", group_name(k.group)}, {"bytes", k.key_bytes}});
    j["key_shares"] = std::move(shares);
    j["padding_bytes"] = c.padding_bytes;
    j["status_request"] = c.status_request;
  } else {
    j["parse_error"] = "the ClientHello sent could not be parsed";
  }
  j["raw_base64"] = encode_base64(h.client_hello_raw);
  return j;
}

Json server_hello_json(const std::optional<ServerHelloObservation>& server) {
  if (!server) return nullptr;
  Json j;
  j["version"] = std::string(to_string(server->version));
  j["cipher"] = server->cipher;
  j["cipher_id"] = fmt::format("0x{:04x}", server->cipher_id);
  j["group"] = nullable(server->group);
  j["alpn"] = nullable(server->alpn);
  j["hello_retry_request"] = server->hello_retry_request;
  j["extensions"] = names(server->extensions, extension_name);
  j["peer_signature"] = nullable(server->peer_signature);
  return j;
}

Json certificate_json(std::size_t position, const std::vector<std::uint8_t>& der) {
  Json j;
  j["position"] = position;
  auto parsed = pki::parse_certificate(der);
  if (!parsed) {
    j["parse_error"] = parsed.error().message;
    j["der_bytes"] = der.size();
    return j;
  }
  const pki::Certificate& c = *parsed;
  j["subject"] = c.subject;
  j["issuer"] = c.issuer;
  j["serial"] = c.serial;
  j["not_before"] = rfc3339_utc(std::chrono::system_clock::time_point(c.not_before));
  j["not_after"] = rfc3339_utc(std::chrono::system_clock::time_point(c.not_after));
  j["dns_names"] = c.dns_names;
  j["ip_addresses"] = c.ip_addresses;
  j["alt_names_total"] = c.alt_names_total;
  j["key"] = c.key_curve.empty() ? fmt::format("{} {}", pki::to_string(c.key_type), c.key_bits)
                                 : fmt::format("{} {} ({})", pki::to_string(c.key_type), c.key_bits, c.key_curve);
  j["signature_algorithm"] = c.signature_algorithm;
  j["is_ca"] = c.is_ca;
  j["self_signed"] = c.self_signed;
  j["sha256"] = c.sha256;
  j["spki_sha256"] = c.spki_sha256;
  j["der_base64"] = encode_base64(der);
  return j;
}

Json verify_json(const VerifyObservation& v) {
  Json j;
  j["performed"] = v.performed;
  j["ok"] = v.ok;
  j["trust"] = v.trust;
  j["time"] = nullable(v.verify_time);
  j["name"] = nullable(v.name);
  Json errors = Json::array();
  for (const auto& e : v.errors) errors.push_back({{"code", e.code}, {"depth", e.depth}, {"message", e.message}});
  j["errors"] = std::move(errors);
  j["failure"] = failure_json(v.failure);
  return j;
}

}  // namespace


nlohmann::ordered_json to_json(const Handshake& h) {
  Json j;
  const bool v6 = h.spec.host.find(':') != std::string::npos;
  j["target"] = v6 ? fmt::format("[{}]:{}", h.spec.host, h.spec.port) : fmt::format("{}:{}", h.spec.host, h.spec.port);
  j["label"] = h.spec.label;
  j["spec"] = spec_json(h.spec);
  j["failure"] = failure_json(h.failure);
  j["meaning"] = h.failure == Failure::None ? Json(nullptr) : Json(std::string(info(h.failure).meaning));
  j["stage"] = std::string(to_string(h.stage));
  j["detail"] = nullable(h.detail);
  j["completed"] = h.completed;

  Json dns;
  dns["source"] = dns_source_text(h.dns.source);
  dns["addresses"] = h.dns.addresses;
  dns["elapsed_ms"] = ms(h.dns.elapsed);
  dns["error"] = nullable(h.dns.error);
  j["dns"] = std::move(dns);
  Json connects = Json::array();
  for (const auto& c : h.connects) {
    connects.push_back({{"address", c.address},
                        {"elapsed_ms", ms(c.elapsed)},
                        {"failure", failure_json(c.failure)},
                        {"error", nullable(c.error)}});
  }
  j["connects"] = std::move(connects);
  j["address"] = h.address ? Json(*h.address) : Json(nullptr);
  if (h.proxy) {
    j["proxy"] = {{"proxy", h.proxy->proxy},
                  {"connect_status", h.proxy->connect_status},
                  {"auth_offered", nullable(h.proxy->auth_offered)},
                  {"elapsed_ms", ms(h.proxy->elapsed)},
                  {"error", nullable(h.proxy->error)}};
  } else {
    j["proxy"] = nullptr;
  }
  j["client_hello"] = client_hello_json(h);
  j["server_hello"] = server_hello_json(h.server);
  Json chain = Json::array();
  for (std::size_t i = 0; i < h.peer_chain.size(); ++i) chain.push_back(certificate_json(i, h.peer_chain[i]));
  j["chain"] = std::move(chain);
  j["chain_truncated"] = h.peer_chain_truncated;
  j["ocsp_stapled"] = h.ocsp_stapled;
  j["certificate_requested"] = h.certificate_requested;
  j["verify"] = verify_json(h.verify);
  Json alerts = Json::array();
  for (const auto& a : h.alerts) {
    alerts.push_back({{"direction", a.sent ? "sent" : "received"},
                      {"level", a.fatal ? "fatal" : "warning"},
                      {"description", a.description},
                      {"name", a.name}});
  }
  j["alerts"] = std::move(alerts);
  j["timings_ms"] = {{"dns", ms(h.timings.dns)},
                     {"connect", ms(h.timings.connect)},
                     {"proxy", ms(h.timings.proxy)},
                     {"handshake", ms(h.timings.handshake)},
                     {"total", ms(h.timings.total)}};
  return j;
}

}  // namespace tlsdoctor::tls
