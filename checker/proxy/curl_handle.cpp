// libcurl global initialisation, done once, before the first easy handle.
#include "proxy/curl_handle.h"

#include <mutex>

namespace tlsdoctor::proxy {

CurlEasy make_curl_easy() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  return CurlEasy(curl_easy_init());
}

}  // namespace tlsdoctor::proxy
