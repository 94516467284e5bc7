// Concurrent HEAD requests through libcurl's multi interface, keeping each answer's Date header.
#include "nettime/date_fetch.h"

#include <algorithm>
#include <cctype>
#include <memory>

#include <curl/curl.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include "nettime/http_date.h"
#include "proxy/curl_handle.h"

namespace tlsdoctor::nettime {
namespace {

// A Date value is about 29 characters; a longer header is kept this far, for the report.
constexpr std::size_t kMaxDateHeaderBytes = 128;
// How long one wait for socket activity lasts before the deadline is looked at again.
constexpr int kPollSliceMs = 100;

struct CurlMultiDeleter {
  void operator()(CURLM* multi) const noexcept { curl_multi_cleanup(multi); }
};
using CurlMulti = std::unique_ptr<CURLM, CurlMultiDeleter>;

struct Transfer {
  proxy::CurlEasy easy;
  std::string date;  // the last response's Date value
  char error_buffer[CURL_ERROR_SIZE] = {};
};

bool starts_with_ci(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
  }
  return true;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const std::string_view line(data, size * count);
  if (starts_with_ci(line, "http/")) {
    transfer->date.clear();  // a new response (after an interim one): only the last one counts
  } else if (starts_with_ci(line, "date:")) {
    auto value = line.substr(5);
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) value.remove_suffix(1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    transfer->date = std::string(value.substr(0, kMaxDateHeaderBytes));
  }
  return size * count;
}

// Verification stays on, with one change: the validity dates are not compared with this
// machine's clock, which is the thing under test.
CURLcode ignore_clock_in_verification(CURL*, void* ssl_ctx, void*) {
  X509_VERIFY_PARAM_set_flags(SSL_CTX_get0_param(static_cast<SSL_CTX*>(ssl_ctx)), X509_V_FLAG_NO_CHECK_TIME);
  return CURLE_OK;
}

void configure(Transfer& t, const DateSource& source, const DateFetchOptions& options, curl_slist* resolve,
               std::chrono::milliseconds budget) {
  CURL* h = t.easy.get();
  curl_easy_setopt(h, CURLOPT_URL, source.url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "https");
  curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(h, CURLOPT_SSL_CTX_FUNCTION, ignore_clock_in_verification);
  if (options.ca_file) curl_easy_setopt(h, CURLOPT_CAINFO, options.ca_file->c_str());
  curl_easy_setopt(h, CURLOPT_PROXY, source.proxy ? source.proxy->c_str() : "");
  curl_easy_setopt(h, CURLOPT_NOPROXY, "");
  curl_easy_setopt(h, CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L);
  if (resolve != nullptr) curl_easy_setopt(h, CURLOPT_RESOLVE, resolve);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(budget.count()));
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(budget.count()));
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &t);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, t.error_buffer);
  curl_easy_setopt(h, CURLOPT_USERAGENT, "tlsdoctor");
}

std::chrono::system_clock::time_point at(std::chrono::system_clock::time_point start, CURL* h, CURLINFO info) {
  curl_off_t us = 0;
  curl_easy_getinfo(h, info, &us);
  return start + std::chrono::microseconds(us);
}

// Removes every easy handle from the multi handle on the way out, however the loop ended.
struct MultiMembership {
  CURLM* multi;
  std::vector<CURL*> added;
  ~MultiMembership() {
    for (CURL* h : added) curl_multi_remove_handle(multi, h);
  }
};

}  // namespace

std::vector<DateSample> fetch_dates(const std::vector<DateSource>& sources, const DateFetchOptions& options,
                                    const Deadline& deadline) {
  std::vector<DateSample> samples(sources.size());
  for (std::size_t i = 0; i < sources.size(); ++i) samples[i].url = sources[i].url;
  for (std::size_t i = kMaxDateSources; i < sources.size(); ++i) {
    samples[i].error = "not asked: at most " + std::to_string(kMaxDateSources) + " time sources are used";
  }
  const std::size_t asked = std::min(sources.size(), kMaxDateSources);
  const Deadline own = deadline.sub(kDateFetchBudget);
  const auto budget = own.remaining();
  if (asked == 0) return samples;
  if (budget.count() <= 0) {
    for (std::size_t i = 0; i < asked; ++i) samples[i].error = "no time left before the run's deadline";
    return samples;
  }

  auto made = proxy::make_curl_slist(options.resolve);
  proxy::CurlSlist resolve = made ? std::move(*made) : proxy::CurlSlist{};
  std::vector<std::unique_ptr<Transfer>> transfers;
  for (std::size_t i = 0; i < asked; ++i) {
    auto t = std::make_unique<Transfer>();
    t->easy = proxy::make_curl_easy();
    if (t->easy) configure(*t, sources[i], options, resolve.get(), budget);
    transfers.push_back(std::move(t));
  }
  CurlMulti multi(curl_multi_init());
  if (!multi) {
    for (std::size_t i = 0; i < asked; ++i) samples[i].error = "libcurl could not start";
    return samples;
  }
  MultiMembership membership{multi.get(), {}};
  for (std::size_t i = 0; i < asked; ++i) {
    if (!transfers[i]->easy) {
      samples[i].error = "libcurl could not start";
      continue;
    }
    curl_easy_setopt(transfers[i]->easy.get(), CURLOPT_PRIVATE, reinterpret_cast<char*>(i));
    if (curl_multi_add_handle(multi.get(), transfers[i]->easy.get()) == CURLM_OK) {
      membership.added.push_back(transfers[i]->easy.get());
    } else {
      samples[i].error = "libcurl could not start";
    }
  }

  const auto start = std::chrono::system_clock::now();
  int running = 1;
  while (running > 0 && !own.expired()) {
    if (curl_multi_perform(multi.get(), &running) != CURLM_OK) break;
    int msgs_left = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi.get(), &msgs_left)) {
      if (msg->msg != CURLMSG_DONE) continue;
      char* index_ptr = nullptr;
      curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &index_ptr);
      const auto i = reinterpret_cast<std::size_t>(index_ptr);
      Transfer& t = *transfers[i];
      DateSample& s = samples[i];
      curl_easy_getinfo(msg->easy_handle, CURLINFO_RESPONSE_CODE, &s.http_status);
      s.sent = at(start, msg->easy_handle, CURLINFO_PRETRANSFER_TIME_T);
      s.received = at(start, msg->easy_handle, CURLINFO_STARTTRANSFER_TIME_T);
      if (msg->data.result != CURLE_OK) {
        s.error = t.error_buffer[0] != '\0' ? t.error_buffer : curl_easy_strerror(msg->data.result);
        continue;
      }
      s.answered = true;
      s.date_header = t.date;
      s.server_time = parse_http_date(t.date);
      if (t.date.empty()) {
        s.error = "the answer has no Date header";
      } else if (!s.server_time) {
        s.error = "the Date header is not an HTTP date";
      }
    }
    if (running > 0) curl_multi_poll(multi.get(), nullptr, 0, kPollSliceMs, nullptr);
  }
  for (std::size_t i = 0; i < asked; ++i) {
    if (!samples[i].answered && samples[i].error.empty()) samples[i].error = "no answer before the deadline";
  }
  return samples;
}

}  // namespace tlsdoctor::nettime
