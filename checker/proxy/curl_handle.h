// RAII ownership of libcurl easy handles and string lists, and libcurl's one-time global set-up.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <curl/curl.h>

namespace tlsdoctor::proxy {

struct CurlEasyDeleter {
  void operator()(CURL* handle) const noexcept { curl_easy_cleanup(handle); }
};
using CurlEasy = std::unique_ptr<CURL, CurlEasyDeleter>;

struct CurlSlistDeleter {
  void operator()(curl_slist* list) const noexcept { curl_slist_free_all(list); }
};
// A libcurl string list (headers, --resolve or --connect-to entries), freed with its owner.
using CurlSlist = std::unique_ptr<curl_slist, CurlSlistDeleter>;

// A list of `entries` in order; nullopt when libcurl runs out of memory. Empty entries: an
// empty (null) list.
std::optional<CurlSlist> make_curl_slist(const std::vector<std::string>& entries);

// A fresh easy handle (nullptr only when libcurl is out of memory). Runs curl_global_init
// once per process first, so that callers on several threads never race to do it.
CurlEasy make_curl_easy();

}  // namespace tlsdoctor::proxy
