// The protocol's messages (time, echo, observe, error) as C++ values, and their JSON in both directions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>
#include <tl/expected.hpp>

#include "core/error.h"

namespace tlsdoctor::reference {

// Fields every answer carries. `nonce` is the client's, echoed (empty only in an error answer
// to a request that had none); `time_unix_ms` is the server's clock when it answered.
struct Envelope {
  std::string protocol;  // kProtocolVersion
  std::string kind;      // "time", "echo", "observe", "error"
  std::string nonce;
  std::int64_t time_unix_ms = 0;
};

// GET /v1/time?nonce=N: the server's time and how far it may be off (its own NTP error bound).
struct TimeAnswer {
  Envelope envelope;
  std::int64_t uncertainty_ms = 0;
};

struct PeerAddress {
  std::string address;  // as text; behind HAProxy, the client's original address
  std::uint16_t port = 0;
};

// GET /v1/echo?nonce=N: what the server received from this client, and what it served.
struct EchoAnswer {
  Envelope envelope;
  struct Received {
    std::vector<std::uint8_t> client_hello;  // the raw handshake message, as it arrived
    std::string ja3;                         // the JA3 string
    std::string ja3_hash;                    // its MD5 in hex
    std::string ja4;
    std::optional<std::string> sni;
    std::vector<std::string> alpn;
    std::string method;
    std::string target;                                        // the request target as sent ("/v1/echo?nonce=...")
    std::vector<std::pair<std::string, std::string>> headers;  // in order, names as sent
    PeerAddress peer;
  } received;
  struct Served {
    std::vector<std::string> chain_sha256;  // lowercase hex, leaf first, as sent
    std::string spki_sha256;                // the leaf's key
    std::string version;                    // "TLSv1.3"
    std::string cipher;                     // IANA name
    std::string group;                      // key exchange group, "" when none (TLS 1.2 RSA)
    std::string alpn;                       // selected, "" when none
  } served;
};

// POST /v1/observe?nonce=N with this body.
struct ObserveRequest {
  std::string host;
  std::uint16_t port = 443;
  std::optional<std::string> sni;  // a different name to send; the host by default
};

// The server's own probes of the target, in the report's probe-object form (see
// docs/report-schema.md), and the DNS answers it got.
struct ObserveAnswer {
  Envelope envelope;
  ObserveRequest target;
  std::vector<std::string> addresses;  // every address DNS returned, in order
  std::string dialed;                  // the vetted address the probes used
  nlohmann::json probes = nlohmann::json::array();
};

// Any refusal (bad request, rate limited, forbidden target, ...), signed like the rest.
struct ErrorAnswer {
  Envelope envelope;
  int status = 400;  // the HTTP status it came with
  std::string code;  // stable: bad_request, not_found, too_large, rate_limited, busy, forbidden_target, unresolvable, internal
  std::string message;
};

nlohmann::json to_json(const TimeAnswer& answer);
nlohmann::json to_json(const EchoAnswer& answer);
nlohmann::json to_json(const ObserveRequest& request);
nlohmann::json to_json(const ObserveAnswer& answer);
nlohmann::json to_json(const ErrorAnswer& answer);

// Each parser checks types and required fields and names the first field that is wrong
// ("echo answer: received.peer.port: not a port number").
tl::expected<Envelope, Error> envelope_from_json(const nlohmann::json& value);
tl::expected<TimeAnswer, Error> time_answer_from_json(const nlohmann::json& value);
tl::expected<EchoAnswer, Error> echo_answer_from_json(const nlohmann::json& value);
tl::expected<ObserveRequest, Error> observe_request_from_json(const nlohmann::json& value);
tl::expected<ObserveAnswer, Error> observe_answer_from_json(const nlohmann::json& value);
tl::expected<ErrorAnswer, Error> error_answer_from_json(const nlohmann::json& value);

// A nonce the server accepts: kMinNonceLength..kMaxNonceLength characters of [A-Za-z0-9_-].
bool valid_nonce(std::string_view nonce);
// 32 lowercase hex digits from OpenSSL's random generator.
std::string make_nonce();

}  // namespace tlsdoctor::reference
