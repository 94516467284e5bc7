// OpenSSL's per-thread error queue, taken as values so a failure can say what OpenSSL said.
#pragma once

#include <string>
#include <vector>

namespace tlsdoctor::tls {

struct OpenSslError {
  unsigned long code = 0;
  std::string reason;  // "no protocols available"
  std::string text;    // "error:0A0000BF:SSL routines::no protocols available" (+ ":" data)
};

// Empties this thread's error queue, oldest first.
std::vector<OpenSslError> take_openssl_errors();

// The reason of the first error, or `fallback` when there is none.
std::string first_reason(const std::vector<OpenSslError>& errors, std::string fallback = "");

}  // namespace tlsdoctor::tls
