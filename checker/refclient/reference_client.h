// The checker's client for tlsdoctor-reference: one signed exchange over this machine's real route, with what TLS showed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/deadline.h"
#include "reference/protocol/answer_check.h"
#include "reference/protocol/signing.h"

namespace tlsdoctor::refclient {

// Where the reference is and which keys it may sign with.
struct ReferenceTarget {
  std::string url;  // "https://ref.example.com" or with a port; a trailing path is kept as a prefix
  reference::KeySet keys;
  // The route this machine would use: a proxy URL, or nullopt for direct.
  std::optional<std::string> proxy;
  // Extra name resolution, as curl's --resolve ("host:port:address").
  std::vector<std::string> resolve;
};

// One request to the reference and everything seen on the way.
struct ReferenceExchange {
  std::string url;      // without the nonce
  bool reachable = false;  // an HTTP answer came back (any status)
  std::string error;    // why not, when unreachable (libcurl's words)
  long http_status = 0;
  std::vector<std::vector<std::uint8_t>> peer_chain;  // DER, as this machine received it
  std::vector<std::uint8_t> client_hello_sent;        // the raw ClientHello handshake message
  // Verification of peer_chain against this machine's trust store: an observation only, never a
  // reason to stop (an interceptor's untrusted root must not hide its own evidence).
  bool locally_trusted = false;
  std::vector<std::string> built_spki_sha256;  // keys of the chain verification built here, leaf first
  std::string local_verify_error;
  std::optional<reference::CheckedAnswer> answer;
  std::optional<reference::AnswerFailure> refused;  // signed badly, replayed or malformed
  std::int64_t sent_unix_ms = 0;     // this machine's clock when the request left
  std::int64_t received_unix_ms = 0; // and when the answer was in
};

// GET `path` ("/v1/echo") with a fresh nonce and checks the answer is of `kind`. Bounded by
// `deadline`; the body is read up to kMaxAnswerBytes.
ReferenceExchange fetch(const ReferenceTarget& target, std::string_view path, std::string_view kind,
                        const Deadline& deadline);

// The same as a POST of `json_body` (Content-Type: application/json), for /v1/observe.
ReferenceExchange post(const ReferenceTarget& target, std::string_view path, std::string_view kind,
                       const std::string& json_body, const Deadline& deadline);

}  // namespace tlsdoctor::refclient
