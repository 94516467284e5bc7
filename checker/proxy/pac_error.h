// Why a PAC file could not give an answer: fetching it, or running it.
#pragma once

#include <string>
#include <string_view>

namespace tlsdoctor::proxy {

enum class PacFailure {
  BadUrl,         // not an http, https or file URL
  Unreachable,    // name does not resolve, connection refused, TLS failed, file missing
  HttpStatus,     // the server answered, but not with 2xx
  TooLarge,       // past kMaxPacBytes
  FetchTimeout,   // the download did not finish in time
  NotJavaScript,  // HTML, empty, or JavaScript without a FindProxyForURL function
  ScriptError,    // a syntax error, or FindProxyForURL threw
  EvalTimeout,    // the script ran past its deadline (a loop, or slow DNS lookups)
  BadAnswer,      // FindProxyForURL returned something that is not "PROXY h:p; DIRECT"
  Internal,       // the evaluator could not run (fork or pipe failed)
};

// Stable strings for facts: "bad_url", "unreachable", "http_status", "too_large",
// "fetch_timeout", "not_javascript", "script_error", "eval_timeout", "bad_answer", "internal".
std::string_view to_string(PacFailure failure);

struct PacError {
  PacFailure failure = PacFailure::Internal;
  std::string message;  // plain words; never contains credentials from the PAC URL
};

}  // namespace tlsdoctor::proxy
