// The first reason in OpenSSL's per-thread error queue, taken (the queue is left empty).
#pragma once

#include <string>

namespace tlsdoctor::pki {

// Empties this thread's OpenSSL error queue and returns its first reason ("no start line"), or
// `fallback` when it held none, so errors never leak into the next caller's diagnostics.
std::string take_openssl_reason(std::string fallback);

}  // namespace tlsdoctor::pki
