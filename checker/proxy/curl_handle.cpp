// libcurl global initialisation, done once, before the first easy handle.
#include "proxy/curl_handle.h"

#include <mutex>

namespace tlsdoctor::proxy {

CurlEasy make_curl_easy() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  return CurlEasy(curl_easy_init());
}

std::optional<CurlSlist> make_curl_slist(const std::vector<std::string>& entries) {
  CurlSlist list;
  for (const auto& entry : entries) {
    curl_slist* grown = curl_slist_append(list.get(), entry.c_str());
    if (grown == nullptr) return std::nullopt;  // the list so far is freed by its owner
    (void)list.release();
    list.reset(grown);
  }
  return list;
}

}  // namespace tlsdoctor::proxy
