// PAC download through libcurl: protocol allow-list, redirect and size caps, deadline.
#include "proxy/pac_fetch.h"

#include <algorithm>
#include <memory>

#include "proxy/curl_handle.h"
#include "proxy/proxy_url.h"

namespace tlsdoctor::proxy {
namespace {

struct Download {
  std::string body;
  bool too_large = false;
};

std::size_t collect(char* data, std::size_t size, std::size_t count, void* user) {
  auto* download = static_cast<Download*>(user);
  const std::size_t bytes = size * count;
  if (download->body.size() + bytes > kMaxPacBytes) {
    download->too_large = true;
    return 0;  // makes libcurl stop with CURLE_WRITE_ERROR
  }
  download->body.append(data, bytes);
  return bytes;
}

PacFailure classify(CURLcode code) {
  switch (code) {
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT: return PacFailure::BadUrl;
    case CURLE_OPERATION_TIMEDOUT: return PacFailure::FetchTimeout;
    case CURLE_FILESIZE_EXCEEDED: return PacFailure::TooLarge;
    case CURLE_TOO_MANY_REDIRECTS: return PacFailure::HttpStatus;
    default: return PacFailure::Unreachable;
  }
}

}  // namespace

tl::expected<std::string, PacError> fetch_pac(std::string_view url, const Deadline& deadline,
                                              const PacFetchOptions& options) {
  const std::string shown = redact_credentials(url);
  const auto budget = deadline.remaining();
  if (budget.count() <= 0) {
    return tl::unexpected(PacError{PacFailure::FetchTimeout, "no time left to fetch " + shown});
  }
  CurlEasy curl = make_curl_easy();
  if (!curl) return tl::unexpected(PacError{PacFailure::Internal, "libcurl could not start"});

  auto made = make_curl_slist(options.connect_to);
  if (!made) return tl::unexpected(PacError{PacFailure::Internal, "out of memory"});
  CurlSlist connect_to = std::move(*made);

  Download download;
  char error_buffer[CURL_ERROR_SIZE] = {};
  std::string url_text(url);
  if (url_text.starts_with("file://") && !options.file_root.empty() && options.file_root != "/") {
    const std::filesystem::path path(url_text.substr(7));
    url_text = "file://" + (options.file_root / path.relative_path()).string();
  }
  CURL* h = curl.get();
  curl_easy_setopt(h, CURLOPT_URL, url_text.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https,file");
  curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(h, CURLOPT_MAXREDIRS, kMaxPacRedirects);
  curl_easy_setopt(h, CURLOPT_PROXY, "");  // no proxy, not even one from the environment
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(budget.count()));
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(budget.count()));
  curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(kMaxPacBytes));
  curl_easy_setopt(h, CURLOPT_USERAGENT, "tlsdoctor");
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &collect);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &download);
  if (connect_to) curl_easy_setopt(h, CURLOPT_CONNECT_TO, connect_to.get());

  const CURLcode code = curl_easy_perform(h);
  if (download.too_large || code == CURLE_FILESIZE_EXCEEDED) {
    return tl::unexpected(PacError{PacFailure::TooLarge, shown + " is larger than " +
                                                             std::to_string(kMaxPacBytes) +
                                                             " bytes"});
  }
  if (code != CURLE_OK) {
    const std::string detail = error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(code);
    return tl::unexpected(PacError{classify(code), "cannot fetch " + shown + ": " + detail});
  }
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  // file:// transfers report 0; HTTP needs a 2xx.
  if (status != 0 && (status < 200 || status > 299)) {
    return tl::unexpected(PacError{PacFailure::HttpStatus,
                                   shown + " answered HTTP " + std::to_string(status)});
  }
  return std::move(download.body);
}

}  // namespace tlsdoctor::proxy
