// Stable names for PAC failures, as facts and evidence show them.
#include "proxy/pac_error.h"

namespace tlsdoctor::proxy {

std::string_view to_string(PacFailure failure) {
  switch (failure) {
    case PacFailure::BadUrl: return "bad_url";
    case PacFailure::Unreachable: return "unreachable";
    case PacFailure::HttpStatus: return "http_status";
    case PacFailure::TooLarge: return "too_large";
    case PacFailure::FetchTimeout: return "fetch_timeout";
    case PacFailure::NotJavaScript: return "not_javascript";
    case PacFailure::ScriptError: return "script_error";
    case PacFailure::EvalTimeout: return "eval_timeout";
    case PacFailure::BadAnswer: return "bad_answer";
    case PacFailure::Internal: return "internal";
  }
  return "internal";
}

}  // namespace tlsdoctor::proxy
