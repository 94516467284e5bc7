// Tests for reference/protocol/answer_check.cpp: only a pinned key's signature over the exact bytes, for this request, passes.
#include <catch2/catch.hpp>

#include <string>

#include "core/base64.h"
#include "reference/protocol/answer_check.h"
#include "reference/protocol/canonical_json.h"
#include "reference/protocol/protocol_version.h"

using namespace tlsdoctor;
using namespace tlsdoctor::reference;

namespace {

const SigningKey& server_key() {
  static const SigningKey key = SigningKey::generate().value();
  return key;
}

SignedBody signed_answer(const nlohmann::json& value, const SigningKey& key = server_key()) {
  SignedBody out;
  out.body = canonical_json(value).value();
  out.key_id = key.public_key().id;
  out.signature = encode_base64(key.sign(out.body).value());
  return out;
}

nlohmann::json time_json(const std::string& nonce) {
  return to_json(TimeAnswer{Envelope{std::string(kProtocolVersion), "time", nonce, 1795000000000}, 5});
}

const std::string kNonce = "00112233445566778899aabbccddeeff";

}  // namespace

TEST_CASE("a genuine answer to this request passes", "[answer_check]") {
  const KeySet keys{{server_key().public_key()}};
  const auto checked = check_answer(signed_answer(time_json(kNonce)), keys, "time", kNonce);
  REQUIRE(checked);
  CHECK(checked->envelope.nonce == kNonce);
  CHECK(checked->key_id == server_key().public_key().id);
  CHECK(time_answer_from_json(checked->value));
}

TEST_CASE("unsigned, forged, altered, truncated, replayed or wrong-kind answers are refused", "[answer_check]") {
  const KeySet keys{{server_key().public_key()}};
  const auto genuine = signed_answer(time_json(kNonce));

  auto unsigned_answer = genuine;
  unsigned_answer.signature.reset();
  CHECK(check_answer(unsigned_answer, keys, "time", kNonce).error().problem == AnswerProblem::BadSignature);

  const auto forger = SigningKey::generate().value();
  auto forged = signed_answer(time_json(kNonce), forger);
  CHECK(check_answer(forged, keys, "time", kNonce).error().problem == AnswerProblem::BadSignature);
  forged.key_id = server_key().public_key().id;  // claiming the pinned key's id does not help
  CHECK(check_answer(forged, keys, "time", kNonce).error().problem == AnswerProblem::BadSignature);

  auto altered = genuine;
  altered.body.replace(altered.body.find("\"uncertainty_ms\":5"), 18, "\"uncertainty_ms\":0");
  CHECK(check_answer(altered, keys, "time", kNonce).error().problem == AnswerProblem::BadSignature);

  auto truncated = genuine;
  truncated.body.pop_back();
  CHECK(check_answer(truncated, keys, "time", kNonce).error().problem == AnswerProblem::BadSignature);

  const auto replayed =
      check_answer(signed_answer(time_json("ffeeddccbbaa99887766554433221100")), keys, "time", kNonce);
  REQUIRE_FALSE(replayed);
  CHECK(replayed.error().problem == AnswerProblem::Replayed);

  const auto wrong_kind = check_answer(genuine, keys, "echo", kNonce);
  REQUIRE_FALSE(wrong_kind);
  CHECK(wrong_kind.error().problem == AnswerProblem::Malformed);

  const KeySet other_keys{{forger.public_key()}};
  CHECK(check_answer(genuine, other_keys, "time", kNonce).error().problem == AnswerProblem::BadSignature);
}

TEST_CASE("a signed body that is not JSON of this protocol is malformed, not trusted", "[answer_check]") {
  const KeySet keys{{server_key().public_key()}};
  SignedBody garbage;
  garbage.body = "not json";
  garbage.key_id = server_key().public_key().id;
  garbage.signature = encode_base64(server_key().sign(garbage.body).value());
  CHECK(check_answer(garbage, keys, "time", kNonce).error().problem == AnswerProblem::Malformed);

  auto other_version = time_json(kNonce);
  other_version["protocol"] = "tlsdoctor.ref/9";
  CHECK(check_answer(signed_answer(other_version), keys, "time", kNonce).error().problem == AnswerProblem::Malformed);
  // A snapshot's answers are checked without a live nonce.
  CHECK(check_answer(signed_answer(time_json(kNonce)), keys, "time", std::nullopt));
}
