// Renders probe objects as text: the outcome first, then how it connected, the chain, verification and the ClientHello.
#include "report/probe_text_renderer.h"

#include <fmt/format.h>

#include "core/time_format.h"
#include "report/text_writer.h"

namespace tlsdoctor::report {
namespace {

using Json = nlohmann::ordered_json;

// Lists longer than this are cut in text (the JSON has them whole): a ClientHello offers up to
// ~60 suites, and a wall of names hides the ones that matter.
constexpr std::size_t kMaxListedNames = 12;
constexpr std::size_t kLabelWidth = 14;

// The member `key`, or null when `j` is not an object or lacks it (const operator[] would
// assert on a missing key, and these objects may come from an older or hostile file).
const Json& sub(const Json& j, std::string_view key) {
  static const Json kNull;
  if (!j.is_object()) return kNull;
  const auto it = j.find(std::string(key));
  return it == j.end() ? kNull : *it;
}

std::string str(const Json& j, std::string_view key) {
  const Json& value = sub(j, key);
  if (value.is_null()) return {};
  if (value.is_string()) return value.get<std::string>();
  return value.dump();
}

std::int64_t num(const Json& j, std::string_view key) {
  const Json& value = sub(j, key);
  return value.is_number() ? value.get<std::int64_t>() : 0;
}

bool flag(const Json& j, std::string_view key) {
  const Json& value = sub(j, key);
  return value.is_boolean() && value.get<bool>();
}

std::string joined(const Json& list, std::size_t limit = kMaxListedNames) {
  if (!list.is_array() || list.empty()) return "none";
  std::string out;
  std::size_t shown = 0;
  for (const auto& item : list) {
    if (shown == limit) {
      out += fmt::format(", … {} more", list.size() - limit);
      break;
    }
    if (!out.empty()) out += ", ";
    out += item.is_string() ? item.get<std::string>() : item.dump();
    ++shown;
  }
  return out;
}

class ProbeText {
 public:
  ProbeText(TextWriter& w, const TextOptions& o) : w_(w), o_(o) {}

  void field(std::string_view label, std::string_view value) {
    const std::string first = fmt::format("  {:<{}}", label, kLabelWidth);
    w_.wrapped(first, 2 + kLabelWidth, value, 2 + kLabelWidth);
  }

  std::string mark(bool ok) const {
    return ok ? w_.paint(o_.unicode ? "✓" : "+", kGreen) : w_.paint(o_.unicode ? "✗" : "x", kRed);
  }

  void outcome(const Json& p) {
    const std::string failure = str(p, "failure");
    const Json& server = sub(p, "server_hello");
    if (failure.empty()) {
      w_.wrapped(mark(true) + " ", 2,
                 fmt::format("{}: handshake completed and the chain verified — {}, {}{}", str(p, "target"),
                             str(server, "version"), str(server, "cipher"),
                             str(server, "group").empty() ? "" : ", " + str(server, "group")),
                 2);
      return;
    }
    w_.wrapped(mark(false) + " ", 2, fmt::format("{}: {} — {}", str(p, "target"), w_.paint(failure, kBold),
                                                str(p, "meaning")),
               2);
    if (!str(p, "detail").empty()) field("detail", str(p, "detail"));
    field("stopped at", str(p, "stage"));
  }

  void connection(const Json& p) {
    w_.line();
    w_.line(w_.paint("Connection", kBold));
    const Json& dns = sub(p, "dns");
    const std::string source = str(dns, "source");
    if (source == "resolver") {
      field("DNS", fmt::format("{} in {} ms: {}", sub(dns, "addresses").size() == 1 ? "1 address" :
                               fmt::format("{} addresses", sub(dns, "addresses").size()),
                               num(dns, "elapsed_ms"), joined(sub(dns, "addresses"))));
    } else if (source == "proxy") {
      field("DNS", "done by the proxy");
    } else if (source == "given") {
      field("DNS", fmt::format("skipped (--resolve): {}", joined(sub(dns, "addresses"))));
    }
    if (!str(dns, "error").empty()) field("DNS error", str(dns, "error"));
    if (sub(p, "proxy").is_object()) {
      const Json& proxy = sub(p, "proxy");
      field("proxy", fmt::format("{} (CONNECT answered {}{})", str(proxy, "proxy"), num(proxy, "connect_status"),
                                 str(proxy, "auth_offered").empty() ? "" : "; offers " + str(proxy, "auth_offered")));
      if (!str(proxy, "error").empty()) field("proxy error", str(proxy, "error"));
    }
    for (const auto& attempt : sub(p, "connects")) {
      const std::string failure = str(attempt, "failure");
      field("TCP", fmt::format("{} {} in {} ms{}", str(attempt, "address"), failure.empty() ? "connected" : failure,
                               num(attempt, "elapsed_ms"),
                               str(attempt, "error").empty() ? "" : " (" + str(attempt, "error") + ")"));
    }
    const Json& server = sub(p, "server_hello");
    if (server.is_object()) {
      field("negotiated", fmt::format("{}, {}{}", str(server, "version"), str(server, "cipher"),
                                      str(server, "group").empty() ? "" : ", " + str(server, "group")));
      if (!str(server, "alpn").empty()) field("ALPN", str(server, "alpn"));
      if (!str(server, "peer_signature").empty()) field("signature", str(server, "peer_signature"));
      if (flag(server, "hello_retry_request")) field("retry", "the server asked for another key share (HelloRetryRequest)");
      field("OCSP", flag(p, "ocsp_stapled") ? "a stapled response came with the certificate" : "not stapled");
    }
    if (flag(p, "certificate_requested")) field("client cert", "the server asked for a client certificate");
    const Json& t = sub(p, "timings_ms");
    field("timings", fmt::format("dns {} ms · connect {} ms{} · handshake {} ms · total {} ms", num(t, "dns"),
                                 num(t, "connect"), sub(p, "proxy").is_object() ? fmt::format(" · proxy {} ms", num(t, "proxy")) : "",
                                 num(t, "handshake"), num(t, "total")));
  }

  void chain(const Json& p) {
    const Json& certs = sub(p, "chain");
    if (!certs.is_array() || certs.empty()) return;
    w_.line();
    w_.line(w_.paint(fmt::format("Certificate chain as sent ({} certificate{}{})", certs.size(),
                                 certs.size() == 1 ? "" : "s", flag(p, "chain_truncated") ? ", cut: the server sent more" : ""),
                     kBold));
    const auto now = std::chrono::system_clock::now();
    for (const auto& c : certs) {
      if (c.contains("parse_error")) {
        field(fmt::format("[{}]", num(c, "position")), "unreadable: " + str(c, "parse_error"));
        continue;
      }
      field(fmt::format("[{}] subject", num(c, "position")), str(c, "subject"));
      field("    issuer", str(c, "issuer"));
      std::string validity = fmt::format("{} to {}", str(c, "not_before"), str(c, "not_after"));
      const auto not_after = parse_rfc3339_utc(str(c, "not_after"));
      const auto not_before = parse_rfc3339_utc(str(c, "not_before"));
      if (not_after && *not_after < now) validity += " (expired)";
      if (not_before && *not_before > now) validity += " (not yet valid)";
      field("    valid", validity);
      Json names = Json::array();
      for (const auto& n : sub(c, "dns_names")) names.push_back(n);
      for (const auto& n : sub(c, "ip_addresses")) names.push_back(n);
      if (!names.empty()) field("    names", joined(names));
      field("    key", fmt::format("{}, signed with {}{}", str(c, "key"), str(c, "signature_algorithm"),
                                   flag(c, "self_signed") ? ", self-signed" : ""));
      field("    sha256", str(c, "sha256"));
    }
  }

  void verification(const Json& p) {
    const Json& v = sub(p, "verify");
    if (!flag(v, "performed")) return;
    w_.line();
    w_.line(w_.paint("Verification", kBold));
    field("against", fmt::format("{} at {} for {}", str(v, "trust"), str(v, "time"), str(v, "name")));
    if (flag(v, "ok")) {
      field("result", mark(true) + " trusted");
      return;
    }
    field("result", mark(false) + " " + str(v, "failure"));
    for (const auto& e : sub(v, "errors")) {
      field("", fmt::format("{} (certificate [{}])", str(e, "message"), num(e, "depth")));
    }
  }

  void client_hello(const Json& p) {
    const Json& h = sub(p, "client_hello");
    if (!h.is_object()) return;
    w_.line();
    w_.line(w_.paint(fmt::format("ClientHello sent ({} bytes{})", num(h, "bytes"),
                                 num(h, "sent") > 1 ? fmt::format(", sent {} times", num(h, "sent")) : ""),
                     kBold));
    if (h.contains("parse_error")) {
      field("parse", str(h, "parse_error"));
    } else {
      field("versions", joined(sub(h, "supported_versions")).append(" (legacy field ").append(str(h, "legacy_version")).append(")"));
      field("SNI", str(h, "sni").empty() ? "none" : str(h, "sni"));
      field("ALPN", joined(sub(h, "alpn")));
      field("cipher suites", fmt::format("{}: {}", sub(h, "cipher_suites").size(), joined(sub(h, "cipher_suites"))));
      field("groups", joined(sub(h, "groups")));
      Json shares = Json::array();
      for (const auto& k : sub(h, "key_shares")) shares.push_back(fmt::format("{} ({} bytes)", str(k, "group"), num(k, "bytes")));
      field("key shares", joined(shares));
      field("signatures", joined(sub(h, "signature_algorithms")));
      Json extensions = Json::array();
      for (const auto& e : sub(h, "extensions")) extensions.push_back(str(e, "name"));
      field("extensions", joined(extensions, 64));
      if (num(h, "padding_bytes") > 0) field("padding", fmt::format("{} bytes", num(h, "padding_bytes")));
    }
    field("JA3", fmt::format("{} ({})", str(h, "ja3_hash"), str(h, "ja3")));
    field("JA4", str(h, "ja4"));
  }

  void alerts(const Json& p) {
    const Json& list = sub(p, "alerts");
    if (!list.is_array() || list.empty()) return;
    w_.line();
    w_.line(w_.paint("Alerts", kBold));
    for (const auto& a : list) {
      field(str(a, "direction"), fmt::format("{} {} ({})", str(a, "level"), str(a, "name"), num(a, "description")));
    }
  }

  void variant_line(const Json& p) {
    const std::string failure = str(p, "failure");
    const Json& server = sub(p, "server_hello");
    const std::string label = str(p, "label").empty() ? str(p, "target") : str(p, "label");
    const std::string outcome = failure.empty()
                                    ? fmt::format("{}, {}", str(server, "version"), str(server, "cipher"))
                                    : fmt::format("{}: {}", failure, str(p, "meaning"));
    w_.wrapped(fmt::format("  {} {:<{}}", mark(failure.empty()), label, kLabelWidth - 2), kLabelWidth + 2, outcome,
               kLabelWidth + 2);
  }

 private:
  TextWriter& w_;
  const TextOptions& o_;
};

}  // namespace

std::string render_probes_text(const nlohmann::ordered_json& probes, const TextOptions& options) {
  TextWriter w(options);
  if (!probes.is_array() || probes.empty()) {
    w.line("No probe ran.");
    return w.str();
  }
  ProbeText text(w, options);
  const Json& main = probes.front();
  text.outcome(main);
  if (options.quiet) return w.str();
  text.connection(main);
  text.chain(main);
  text.verification(main);
  text.client_hello(main);
  text.alerts(main);
  if (probes.size() > 1) {
    w.line();
    w.line(w.paint("Variants", kBold));
    for (std::size_t i = 1; i < probes.size(); ++i) text.variant_line(probes[i]);
  }
  return w.str();
}

}  // namespace tlsdoctor::report
