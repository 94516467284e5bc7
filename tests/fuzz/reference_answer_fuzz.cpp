// Fuzz target: what the checker does with a reference's answer: signature check, then each message parser.
//
// Input: one byte for the case, one for the kind, then the case's bytes:
//   0  a body, signed here by the pinned key, so the parsers behind the signature are reached
//   1  "key id\nsignature\nbody": headers as an impostor sends them, checked against the pin
//   2  a snapshot file (--reference-file), read and compared as the checker does
//   3  public keys as --reference-key and the policy give them
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/base64.h"
#include "fuzz_input.h"
#include "reference/protocol/answer_check.h"
#include "reference/protocol/canonical_json.h"
#include "reference/protocol/signing.h"
#include "reference/protocol/snapshot.h"
#include "refclient/snapshot_comparison.h"

namespace reference = tlsdoctor::reference;

namespace {

constexpr std::array<const char*, 4> kKinds = {"time", "echo", "observe", "error"};

struct Keys {
  reference::SigningKey signing;
  reference::KeySet pinned;
};

const Keys& keys() {
  static const Keys k = [] {
    auto signing = reference::SigningKey::generate();
    if (!signing) std::abort();
    reference::KeySet pinned;
    pinned.keys.push_back(signing->public_key());
    return Keys{std::move(*signing), pinned};
  }();
  return k;
}

// What the checker reads from an accepted answer of `kind`.
void read_answer(const reference::CheckedAnswer& answer, std::string_view kind) {
  if (kind == "time") {
    (void)reference::time_answer_from_json(answer.value);
  } else if (kind == "echo") {
    (void)reference::echo_answer_from_json(answer.value);
  } else if (kind == "observe") {
    (void)reference::observe_answer_from_json(answer.value);
  } else {
    (void)reference::error_answer_from_json(answer.value);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::string_view kind = kKinds[data[1] % kKinds.size()];
  const auto rest = tlsdoctor::fuzz::as_text(data + 2, size - 2);
  switch (data[0] % 4) {
    case 0: {
      auto signature = keys().signing.sign(rest);
      if (!signature) std::abort();
      const reference::SignedBody body{std::string(rest), keys().signing.public_key().id,
                                       tlsdoctor::encode_base64(*signature)};
      auto checked = reference::check_answer(body, keys().pinned, kind, std::nullopt);
      if (checked) read_answer(*checked, kind);
      if (!checked) {
        tlsdoctor::fuzz::require(checked.error().problem != reference::AnswerProblem::BadSignature,
                                 "a body signed by the pinned key passes the signature check");
      }
      break;
    }
    case 1: {
      const auto parts = tlsdoctor::fuzz::split_all(rest, '\n', 3);
      const reference::SignedBody body{std::string(parts.size() > 2 ? parts[2] : ""), std::string(parts[0]),
                                       parts.size() > 1 ? std::optional<std::string>(parts[1]) : std::nullopt};
      auto checked = reference::check_answer(body, keys().pinned, kind, std::nullopt);
      // Nobody but the key's holder can sign: an answer from the input never passes.
      tlsdoctor::fuzz::require(!checked, "only the pinned key's own signatures pass");
      break;
    }
    case 2: {
      // As --reference-file reads it, then as the interception check compares with it.
      auto parsed = reference::parse_json(rest, reference::kMaxSnapshotBytes, "snapshot");
      if (!parsed) break;
      auto snapshot = reference::snapshot_from_json(*parsed);
      if (!snapshot) break;
      for (const auto& recorded : snapshot->observations) {
        (void)tlsdoctor::refclient::snapshot_probe_spec(recorded, {});
        (void)tlsdoctor::refclient::compare_with_snapshot(recorded, tlsdoctor::tls::Handshake{});
      }
      break;
    }
    default:
      (void)reference::parse_key_set(rest, "fuzz keys");
      break;
  }
  return 0;
}
