// Sends an observe request and checks the signed answer is an observation of that very target.
#include "refclient/observe_client.h"

namespace tlsdoctor::refclient {

Observation observe(const ReferenceTarget& reference, const reference::ObserveRequest& request,
                    const Deadline& deadline) {
  Observation out;
  out.exchange = post(reference, "/v1/observe", "observe", reference::to_json(request).dump(), deadline);
  const auto& e = out.exchange;
  if (!e.reachable) {
    out.error = "the reference could not be reached: " + e.error;
    return out;
  }
  if (e.refused) {
    out.error = "the reference's answer was not believed (" + std::string(reference::to_string(e.refused->problem)) +
                ": " + e.refused->detail + ")";
    return out;
  }
  if (!e.answer) {
    out.error = "the reference sent no signed answer";
    return out;
  }
  if (e.answer->envelope.kind == "error") {
    const auto refusal = reference::error_answer_from_json(e.answer->value);
    out.error = refusal ? refusal->code + ": " + refusal->message
                        : "the reference refused (HTTP " + std::to_string(e.http_status) + ")";
    return out;
  }
  auto answer = reference::observe_answer_from_json(e.answer->value);
  if (!answer) {
    out.error = "the reference's observation is malformed: " + answer.error().message;
    return out;
  }
  if (answer->target.host != request.host || answer->target.port != request.port) {
    out.error = "the reference observed another target (" + answer->target.host + ")";
    return out;
  }
  out.answer = std::move(*answer);
  return out;
}

}  // namespace tlsdoctor::refclient
