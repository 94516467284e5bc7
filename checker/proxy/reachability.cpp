// Proxy reachability through libcurl's CONNECT_ONLY mode: DNS and TCP, both bounded.
#include "proxy/reachability.h"

#include <memory>

#include "proxy/curl_handle.h"

namespace tlsdoctor::proxy {
namespace {

ReachFailure classify(CURLcode code) {
  switch (code) {
    case CURLE_OK: return ReachFailure::None;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY: return ReachFailure::DoesNotResolve;
    case CURLE_COULDNT_CONNECT: return ReachFailure::Refused;
    case CURLE_OPERATION_TIMEDOUT: return ReachFailure::TimedOut;
    default: return ReachFailure::Other;
  }
}

}  // namespace

std::string_view to_string(ReachFailure failure) {
  switch (failure) {
    case ReachFailure::None: return "";
    case ReachFailure::DoesNotResolve: return "does_not_resolve";
    case ReachFailure::Refused: return "refused";
    case ReachFailure::TimedOut: return "timed_out";
    case ReachFailure::Other: return "other";
  }
  return "other";
}

Reachability check_proxy_reachable(const ProxyUrl& proxy, const Deadline& deadline,
                                   const ReachOptions& options) {
  Reachability result;
  const auto started = Deadline::Clock::now();
  const auto budget = deadline.remaining();
  if (budget.count() <= 0) {
    result.failure = ReachFailure::TimedOut;
    result.error = "no time left to connect";
    return result;
  }
  CurlEasy curl = make_curl_easy();
  if (!curl) {
    result.failure = ReachFailure::Other;
    result.error = "libcurl could not start";
    return result;
  }
  auto made = make_curl_slist(options.connect_to);
  CurlSlist connect_to = made ? std::move(*made) : CurlSlist{};
  // Only the TCP connection matters, so the proxy is addressed as a plain http:// origin.
  const std::string url = "http://" + proxy.host_port() + "/";
  char error_buffer[CURL_ERROR_SIZE] = {};
  CURL* h = curl.get();
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_CONNECT_ONLY, 1L);
  curl_easy_setopt(h, CURLOPT_PROXY, "");
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(budget.count()));
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(budget.count()));
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer);
  if (connect_to) curl_easy_setopt(h, CURLOPT_CONNECT_TO, connect_to.get());
  const CURLcode code = curl_easy_perform(h);
  result.failure = classify(code);
  if (code != CURLE_OK) {
    result.error = error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(code);
  }
  result.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      Deadline::Clock::now() - started);
  return result;
}

}  // namespace tlsdoctor::proxy
