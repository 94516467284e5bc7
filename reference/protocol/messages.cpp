// JSON for the protocol's messages: writing them, and reading them back with every field checked.
#include "reference/protocol/messages.h"

#include <limits>

#include <openssl/rand.h>

#include "core/base64.h"
#include "core/hex.h"
#include "reference/protocol/json_fields.h"
#include "reference/protocol/protocol_version.h"

namespace tlsdoctor::reference {
namespace {

constexpr std::int64_t kMaxInt = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kMaxPort = 65535;
// Up to a day of clock uncertainty is still information; beyond that the server is unsynchronised.
constexpr std::int64_t kMaxUncertaintyMs = 24LL * 3600 * 1000;

nlohmann::json envelope_json(const Envelope& envelope, std::string_view kind) {
  return nlohmann::json{{"protocol", kProtocolVersion},
                        {"kind", kind},
                        {"nonce", envelope.nonce},
                        {"time_unix_ms", envelope.time_unix_ms}};
}

Envelope read_envelope(JsonFields& fields) {
  Envelope out;
  out.protocol = fields.text("protocol");
  out.kind = fields.text("kind");
  out.nonce = fields.text("nonce");
  out.time_unix_ms = fields.integer("time_unix_ms", 0, kMaxInt);
  return out;
}

// The envelope of `value`, checked to be of this protocol version and of `kind`.
tl::expected<Envelope, Error> expect_envelope(const nlohmann::json& value, std::string_view kind) {
  auto envelope = envelope_from_json(value);
  if (!envelope) return envelope;
  if (envelope->kind != kind) {
    return tl::unexpected(Error{std::string(kind) + " answer", "kind is \"" + envelope->kind + "\""});
  }
  return envelope;
}

PeerAddress read_peer(JsonFields fields) {
  PeerAddress peer;
  peer.address = fields.text("address");
  peer.port = static_cast<std::uint16_t>(fields.integer("port", 0, kMaxPort));
  return peer;
}

}  // namespace

nlohmann::json to_json(const TimeAnswer& answer) {
  auto j = envelope_json(answer.envelope, "time");
  j["uncertainty_ms"] = answer.uncertainty_ms;
  return j;
}

nlohmann::json to_json(const EchoAnswer& answer) {
  auto j = envelope_json(answer.envelope, "echo");
  const auto& r = answer.received;
  nlohmann::json headers = nlohmann::json::array();
  for (const auto& [name, value] : r.headers) headers.push_back({name, value});
  j["received"] = {{"client_hello_base64", encode_base64(r.client_hello)},
                   {"ja3", r.ja3},
                   {"ja3_hash", r.ja3_hash},
                   {"ja4", r.ja4},
                   {"sni", r.sni ? nlohmann::json(*r.sni) : nlohmann::json(nullptr)},
                   {"alpn", r.alpn},
                   {"method", r.method},
                   {"target", r.target},
                   {"headers", headers},
                   {"peer", {{"address", r.peer.address}, {"port", r.peer.port}}}};
  const auto& s = answer.served;
  j["served"] = {{"chain_sha256", s.chain_sha256},
                 {"spki_sha256", s.spki_sha256},
                 {"version", s.version},
                 {"cipher", s.cipher},
                 {"group", s.group},
                 {"alpn", s.alpn}};
  return j;
}

nlohmann::json to_json(const ObserveRequest& request) {
  nlohmann::json j{{"host", request.host}, {"port", request.port}};
  if (request.sni) j["sni"] = *request.sni;
  return j;
}

nlohmann::json to_json(const ObserveAnswer& answer) {
  auto j = envelope_json(answer.envelope, "observe");
  j["target"] = to_json(answer.target);
  j["addresses"] = answer.addresses;
  j["dialed"] = answer.dialed;
  j["probes"] = answer.probes;
  return j;
}

nlohmann::json to_json(const ErrorAnswer& answer) {
  auto j = envelope_json(answer.envelope, "error");
  j["status"] = answer.status;
  j["error"] = {{"code", answer.code}, {"message", answer.message}};
  return j;
}

tl::expected<Envelope, Error> envelope_from_json(const nlohmann::json& value) {
  JsonFields fields(value, "answer");
  auto envelope = read_envelope(fields);
  if (auto error = fields.error()) return tl::unexpected(*error);
  if (envelope.protocol != kProtocolVersion) {
    return tl::unexpected(Error{"answer", "protocol \"" + envelope.protocol.substr(0, 40) + "\", this checker speaks " +
                                              std::string(kProtocolVersion)});
  }
  return envelope;
}

tl::expected<TimeAnswer, Error> time_answer_from_json(const nlohmann::json& value) {
  auto envelope = expect_envelope(value, "time");
  if (!envelope) return tl::unexpected(envelope.error());
  JsonFields fields(value, "time answer");
  TimeAnswer out{*envelope, fields.integer("uncertainty_ms", 0, kMaxUncertaintyMs)};
  if (auto error = fields.error()) return tl::unexpected(*error);
  return out;
}

tl::expected<EchoAnswer, Error> echo_answer_from_json(const nlohmann::json& value) {
  auto envelope = expect_envelope(value, "echo");
  if (!envelope) return tl::unexpected(envelope.error());
  JsonFields fields(value, "echo answer");
  EchoAnswer out;
  out.envelope = *envelope;
  auto received = fields.object("received");
  auto& r = out.received;
  const std::string hello = received.text("client_hello_base64");
  r.ja3 = received.text("ja3");
  r.ja3_hash = received.text("ja3_hash");
  r.ja4 = received.text("ja4");
  r.sni = received.optional_text("sni");
  r.alpn = received.texts("alpn");
  r.method = received.text("method");
  r.target = received.text("target");
  for (const auto& header : received.array("headers")) {
    if (!header.is_array() || header.size() != 2 || !header[0].is_string() || !header[1].is_string()) {
      received.fail("headers", "each header is a [name, value] pair of strings");
      break;
    }
    r.headers.emplace_back(header[0].get<std::string>(), header[1].get<std::string>());
  }
  r.peer = read_peer(received.object("peer"));
  auto served = fields.object("served");
  auto& s = out.served;
  s.chain_sha256 = served.texts("chain_sha256");
  s.spki_sha256 = served.text("spki_sha256");
  s.version = served.text("version");
  s.cipher = served.text("cipher");
  s.group = served.text("group");
  s.alpn = served.text("alpn");
  if (auto error = fields.error()) return tl::unexpected(*error);
  auto raw = decode_base64(hello);
  if (!raw) return tl::unexpected(Error{"echo answer", "received.client_hello_base64: " + raw.error()});
  r.client_hello = std::move(*raw);
  return out;
}

tl::expected<ObserveRequest, Error> observe_request_from_json(const nlohmann::json& value) {
  JsonFields fields(value, "observe request");
  ObserveRequest out;
  out.host = fields.text("host");
  out.port = static_cast<std::uint16_t>(fields.integer("port", 1, kMaxPort));
  out.sni = fields.optional_text("sni");
  if (auto error = fields.error()) return tl::unexpected(*error);
  if (out.host.empty()) return tl::unexpected(Error{"observe request", "host: empty"});
  return out;
}

tl::expected<ObserveAnswer, Error> observe_answer_from_json(const nlohmann::json& value) {
  auto envelope = expect_envelope(value, "observe");
  if (!envelope) return tl::unexpected(envelope.error());
  JsonFields fields(value, "observe answer");
  ObserveAnswer out;
  out.envelope = *envelope;
  auto target = observe_request_from_json(value.contains("target") ? value["target"] : nlohmann::json());
  out.addresses = fields.texts("addresses");
  out.dialed = fields.text("dialed");
  out.probes = fields.array("probes");
  if (auto error = fields.error()) return tl::unexpected(*error);
  if (!target) return tl::unexpected(Error{"observe answer", "target: " + target.error().message});
  out.target = std::move(*target);
  for (const auto& probe : out.probes) {
    if (!probe.is_object()) return tl::unexpected(Error{"observe answer", "probes: each probe is an object"});
  }
  return out;
}

tl::expected<ErrorAnswer, Error> error_answer_from_json(const nlohmann::json& value) {
  JsonFields fields(value, "error answer");
  ErrorAnswer out;
  out.envelope = read_envelope(fields);
  out.status = static_cast<int>(fields.integer("status", 400, 599));
  auto error = fields.object("error");
  out.code = error.text("code");
  out.message = error.text("message");
  if (auto problem = fields.error()) return tl::unexpected(*problem);
  if (out.envelope.protocol != kProtocolVersion || out.envelope.kind != "error") {
    return tl::unexpected(Error{"error answer", "not an error answer of " + std::string(kProtocolVersion)});
  }
  return out;
}

bool valid_nonce(std::string_view nonce) {
  if (nonce.size() < kMinNonceLength || nonce.size() > kMaxNonceLength) return false;
  for (const char c : nonce) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string make_nonce() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) return "";
  return encode_hex(bytes);
}

}  // namespace tlsdoctor::reference
