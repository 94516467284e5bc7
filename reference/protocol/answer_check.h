// What a client does with an answer before believing any of it: signature, protocol, kind and nonce.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>
#include <tl/expected.hpp>

#include "reference/protocol/messages.h"
#include "reference/protocol/signing.h"

namespace tlsdoctor::reference {

// An answer as it came off the wire: the exact body bytes and the two signature headers.
struct SignedBody {
  std::string body;
  std::optional<std::string> key_id;
  std::optional<std::string> signature;
};

// Why an answer was not accepted. Stable strings, which the checker maps to findings:
// bad_signature (reference.bad_signature): unsigned, unknown key, malformed or mismatching
//   signature; nothing in the body is read.
// replayed (reference.stale): signed, but for another request (the nonce differs).
// malformed: signed by a pinned key, yet not an answer of this protocol and kind.
enum class AnswerProblem { BadSignature, Replayed, Malformed };
std::string_view to_string(AnswerProblem problem);

struct AnswerFailure {
  AnswerProblem problem;
  std::string detail;
};

struct CheckedAnswer {
  nlohmann::json value;  // the parsed body
  Envelope envelope;
  std::string key_id;  // the pinned key that signed it
};

// Verifies the signature over the exact bytes first and parses nothing before it passes; then
// the protocol version, the kind, and, when `nonce` is given, that the answer echoes it.
tl::expected<CheckedAnswer, AnswerFailure> check_answer(const SignedBody& answer, const KeySet& keys,
                                                        std::string_view kind, std::optional<std::string_view> nonce);

}  // namespace tlsdoctor::reference
