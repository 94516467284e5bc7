// Answers the reference's endpoints: healthz, time, echo, observe; every JSON answer signed over its exact bytes.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string_view>

#include "reference/protocol/messages.h"
#include "reference/protocol/signing.h"
#include "reference/server/request.h"

namespace tlsdoctor::reference {

// Runs the server's own probes for POST /v1/observe (target vetting included); the error
// answer it returns instead is signed and sent as is.
using ObserveHandler = std::function<tl::expected<ObserveAnswer, ErrorAnswer>(const ObserveRequest&)>;

// The error bound /v1/time reports for this server's clock, in milliseconds.
using ClockBound = std::function<std::int64_t()>;

class Router {
 public:
  // `observe` may be empty: /v1/observe then answers 404, as on a reference that does not offer it.
  // `clock_bound`: the kernel's (clock_uncertainty_ms) unless the operator states another.
  Router(const SigningKey& key, ObserveHandler observe = {}, ClockBound clock_bound = {});

  Response handle(const Request& request) const;
  // Whether POST /v1/observe is served (the server admits those requests before handle()).
  bool offers_observe() const { return static_cast<bool>(observe_); }

  // A signed error answer (for the session's own refusals: too large, rate limited, busy).
  Response error(int status, std::string_view code, std::string_view message, std::string_view nonce = "") const;

 private:
  Response signed_json(int status, const nlohmann::json& answer) const;

  const SigningKey& key_;
  ObserveHandler observe_;
  ClockBound clock_bound_;
};

// The value of `name` in the target's query string ("/v1/echo?nonce=abc" gives "abc"), or "".
std::string query_value(std::string_view target, std::string_view name);

}  // namespace tlsdoctor::reference
