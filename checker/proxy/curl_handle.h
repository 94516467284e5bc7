// RAII ownership of libcurl easy handles, and libcurl's one-time global set-up.
#pragma once

#include <memory>

#include <curl/curl.h>

namespace tlsdoctor::proxy {

struct CurlEasyDeleter {
  void operator()(CURL* handle) const noexcept { curl_easy_cleanup(handle); }
};
using CurlEasy = std::unique_ptr<CURL, CurlEasyDeleter>;

// A fresh easy handle (nullptr only when libcurl is out of memory). Runs curl_global_init
// once per process first, so that callers on several threads never race to do it.
CurlEasy make_curl_easy();

}  // namespace tlsdoctor::proxy
