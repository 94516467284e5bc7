// Takes OpenSSL's error queue and keeps its first reason.
#include "pki/openssl_reason.h"

#include <openssl/err.h>

namespace tlsdoctor::pki {

std::string take_openssl_reason(std::string fallback) {
  std::string reason;
  while (const unsigned long code = ERR_get_error()) {
    if (reason.empty()) {
      if (const char* text = ERR_reason_error_string(code)) reason = text;
    }
  }
  return reason.empty() ? fallback : reason;
}

}  // namespace tlsdoctor::pki
