// Accepts an answer only when a pinned key signed its exact bytes and it answers this request.
#include "reference/protocol/answer_check.h"

#include "reference/protocol/canonical_json.h"
#include "reference/protocol/protocol_version.h"

namespace tlsdoctor::reference {

std::string_view to_string(AnswerProblem problem) {
  switch (problem) {
    case AnswerProblem::BadSignature:
      return "bad_signature";
    case AnswerProblem::Replayed:
      return "replayed";
    case AnswerProblem::Malformed:
      return "malformed";
  }
  return "malformed";
}

tl::expected<CheckedAnswer, AnswerFailure> check_answer(const SignedBody& answer, const KeySet& keys,
                                                        std::string_view kind, std::optional<std::string_view> nonce) {
  auto signature = verify_signature(answer.body, answer.key_id, answer.signature, keys);
  if (!signature) {
    return tl::unexpected(AnswerFailure{AnswerProblem::BadSignature, std::string(to_string(signature.error().problem)) +
                                                                         ": " + signature.error().detail});
  }
  auto parsed = parse_json(answer.body, kMaxAnswerBytes, std::string(kind) + " answer");
  if (!parsed) return tl::unexpected(AnswerFailure{AnswerProblem::Malformed, parsed.error().message});
  auto envelope = envelope_from_json(*parsed);
  if (!envelope) return tl::unexpected(AnswerFailure{AnswerProblem::Malformed, envelope.error().message});
  if (envelope->kind != kind) {
    return tl::unexpected(AnswerFailure{
        AnswerProblem::Malformed,
        "a \"" + envelope->kind.substr(0, 20) + "\" answer where \"" + std::string(kind) + "\" was asked for"});
  }
  if (nonce && envelope->nonce != *nonce) {
    return tl::unexpected(
        AnswerFailure{AnswerProblem::Replayed, "the answer is signed but carries another request's nonce (a replay)"});
  }
  return CheckedAnswer{std::move(*parsed), std::move(*envelope), *answer.key_id};
}

}  // namespace tlsdoctor::reference
