// libcurl GET of the captive-portal page: status, Location, type and the first bytes of the body.
#include "refclient/captive_fetch.h"

#include <memory>

#include <curl/curl.h>

#include "proxy/curl_handle.h"

namespace tlsdoctor::refclient {
namespace {

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* page = static_cast<CaptivePage*>(user);
  const std::size_t length = size * count;
  const std::size_t room = kMaxCaptiveBodyBytes - page->body.size();
  if (length > room) {
    page->body.append(data, room);
    page->body_truncated = true;
    return 0;  // enough to judge; libcurl stops with CURLE_WRITE_ERROR
  }
  page->body.append(data, length);
  return length;
}

}  // namespace

CaptivePage fetch_captive_page(const std::string& url, const std::optional<std::string>& proxy,
                               const std::vector<std::string>& resolve, const Deadline& deadline) {
  CaptivePage page;
  page.url = url;
  const auto budget = deadline.sub(kCaptiveFetchBudget).remaining();
  if (budget.count() <= 0) {
    page.error = "no time left before the run's deadline";
    return page;
  }
  auto curl = proxy::make_curl_easy();
  if (!curl) {
    page.error = "libcurl could not start";
    return page;
  }
  auto made = proxy::make_curl_slist(resolve);
  const proxy::CurlSlist entries = made ? std::move(*made) : proxy::CurlSlist{};
  char error_buffer[CURL_ERROR_SIZE] = {};
  CURL* h = curl.get();
  if (entries) curl_easy_setopt(h, CURLOPT_RESOLVE, entries.get());
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http");
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(h, CURLOPT_PROXY, proxy ? proxy->c_str() : "");
  curl_easy_setopt(h, CURLOPT_NOPROXY, "");
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(budget.count()));
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(budget.count()));
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &page);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(h, CURLOPT_USERAGENT, "tlsdoctor");
  const CURLcode code = curl_easy_perform(h);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, nullptr);
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &page.http_status);
  if (const char* location = nullptr; curl_easy_getinfo(h, CURLINFO_REDIRECT_URL, &location) == CURLE_OK && location) {
    page.location = location;
  }
  if (const char* type = nullptr; curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &type) == CURLE_OK && type) {
    page.content_type = type;
  }
  page.reached = page.http_status != 0 && (code == CURLE_OK || page.body_truncated);
  if (!page.reached) page.error = error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(code);
  return page;
}

}  // namespace tlsdoctor::refclient
