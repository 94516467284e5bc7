// Drains OpenSSL's error queue into strings.
#include "tls/openssl_errors.h"

#include <array>

#include <openssl/err.h>

namespace tlsdoctor::tls {

// ERR_error_string_n's documented minimum is 256; the data part (file names) can be longer.
constexpr std::size_t kOpenSslErrorTextBytes = 512;

std::vector<OpenSslError> take_openssl_errors() {
  std::vector<OpenSslError> errors;
  const char* data = nullptr;
  int flags = 0;
  for (unsigned long code = ERR_get_error_all(nullptr, nullptr, nullptr, &data, &flags); code != 0;
       code = ERR_get_error_all(nullptr, nullptr, nullptr, &data, &flags)) {
    OpenSslError error;
    error.code = code;
    const char* reason = ERR_reason_error_string(code);
    error.reason = reason != nullptr ? reason : "unknown error";
    std::array<char, kOpenSslErrorTextBytes> text{};
    ERR_error_string_n(code, text.data(), text.size());
    error.text = text.data();
    if ((flags & ERR_TXT_STRING) != 0 && data != nullptr && *data != '\0') {
      error.text += std::string(" (") + data + ")";
    }
    errors.push_back(std::move(error));
  }
  return errors;
}

std::string first_reason(const std::vector<OpenSslError>& errors, std::string fallback) {
  return errors.empty() ? fallback : errors.front().reason;
}

}  // namespace tlsdoctor::tls
