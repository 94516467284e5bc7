// The reference's endpoints as a pure function of the request: no sockets here, so every answer is testable.
#include "reference/server/router.h"

#include <chrono>

#include "core/base64.h"
#include "reference/protocol/canonical_json.h"
#include "reference/protocol/protocol_version.h"
#include "reference/server/clock_uncertainty.h"
#include "reference/server/echo_answer.h"

namespace tlsdoctor::reference {
namespace {

std::int64_t now_unix_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Envelope envelope(std::string_view kind, std::string_view nonce) {
  return Envelope{std::string(kProtocolVersion), std::string(kind), std::string(nonce), now_unix_ms()};
}

std::string_view path_of(std::string_view target) { return target.substr(0, target.find('?')); }

}  // namespace

std::string query_value(std::string_view target, std::string_view name) {
  const auto question = target.find('?');
  if (question == std::string_view::npos) return "";
  std::string_view query = target.substr(question + 1);
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    const auto equals = pair.find('=');
    if (pair.substr(0, equals) == name)
      return equals == std::string_view::npos ? "" : std::string(pair.substr(equals + 1));
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return "";
}

Router::Router(const SigningKey& key, ObserveHandler observe, ClockBound clock_bound)
    : key_(key), observe_(std::move(observe)), clock_bound_(clock_bound ? std::move(clock_bound) : ClockBound(clock_uncertainty_ms)) {}

Response Router::signed_json(int status, const nlohmann::json& answer) const {
  Response response;
  response.status = status;
  auto body = canonical_json(answer);
  auto signature = body ? key_.sign(*body) : tl::unexpected(body.error());
  if (!body || !signature) {
    // Our own answer could not be encoded or signed: a bug, never something to send unsigned.
    response.status = 500;
    response.content_type = "text/plain";
    response.body = "internal error\n";
    return response;
  }
  response.body = std::move(*body);
  response.headers.emplace_back(kKeyIdHeader, key_.public_key().id);
  response.headers.emplace_back(kSignatureHeader, encode_base64(*signature));
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

Response Router::error(int status, std::string_view code, std::string_view message, std::string_view nonce) const {
  Response response = signed_json(status, to_json(ErrorAnswer{envelope("error", valid_nonce(nonce) ? nonce : ""),
                                                              status, std::string(code), std::string(message)}));
  response.error_code = code;
  return response;
}

Response Router::handle(const Request& request) const {
  const std::string_view path = path_of(request.target);
  const std::string nonce = query_value(request.target, "nonce");
  if (path == "/healthz") {
    if (request.method != "GET") return error(405, "bad_request", "use GET");
    return Response{200, "text/plain", "ok\n", {}, {}};
  }
  const bool known = path == "/v1/time" || path == "/v1/echo" || (path == "/v1/observe" && observe_);
  if (!known) return error(404, "not_found", "no such endpoint", nonce);
  if (!valid_nonce(nonce)) {
    return error(400, "bad_request", "nonce: 16 to 64 characters of [A-Za-z0-9_-] are required");
  }
  if (path == "/v1/time") {
    if (request.method != "GET") return error(405, "bad_request", "use GET", nonce);
    return signed_json(200, to_json(TimeAnswer{envelope("time", nonce), clock_bound_()}));
  }
  if (path == "/v1/echo") {
    if (request.method != "GET") return error(405, "bad_request", "use GET", nonce);
    return signed_json(200, to_json(make_echo_answer(envelope("echo", nonce), request)));
  }
  if (request.method != "POST") return error(405, "bad_request", "use POST", nonce);
  auto parsed = parse_json(request.body, kMaxRequestBodyBytes, "observe request");
  if (!parsed) return error(400, "bad_request", parsed.error().message, nonce);
  auto target = observe_request_from_json(*parsed);
  if (!target) return error(400, "bad_request", target.error().message, nonce);
  auto observed = observe_(*target);
  if (!observed) {
    ErrorAnswer refusal = std::move(observed.error());
    refusal.envelope = envelope("error", nonce);
    Response response = signed_json(refusal.status, to_json(refusal));
    response.error_code = refusal.code;
    return response;
  }
  observed->envelope = envelope("observe", nonce);
  return signed_json(200, to_json(*observed));
}

}  // namespace tlsdoctor::reference
