// One libcurl request for lab tests; the easy handle and lists are released however it ends.
#include "lab/lab_https_client.h"

#include <cctype>
#include <memory>

#include <curl/curl.h>

namespace tlsdoctor::lab {
namespace {

struct CurlDelete {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  static_cast<LabHttpResponse*>(user)->body.append(data, size * count);
  return size * count;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  std::string line(data, size * count);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  const auto colon = line.find(':');
  if (colon != std::string::npos && line.rfind("HTTP/", 0) != 0) {
    std::string name = line.substr(0, colon);
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    static_cast<LabHttpResponse*>(user)->headers.emplace_back(std::move(name), std::move(value));
  }
  return size * count;
}

}  // namespace

std::optional<std::string> LabHttpResponse::header(const std::string& lower_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lower_name) return value;
  }
  return std::nullopt;
}

LabHttpResponse lab_http_request(const LabHttpRequest& request) {
  LabHttpResponse out;
  std::unique_ptr<CURL, CurlDelete> curl(curl_easy_init());
  if (!curl) {
    out.error = "curl_easy_init failed";
    return out;
  }
  std::unique_ptr<curl_slist, CurlDelete> resolve;
  for (const auto& entry : request.resolve) resolve.reset(curl_slist_append(resolve.release(), entry.c_str()));
  CURL* handle = curl.get();
  curl_easy_setopt(handle, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(handle, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  if (resolve) curl_easy_setopt(handle, CURLOPT_RESOLVE, resolve.get());
  if (!request.ca_file.empty()) curl_easy_setopt(handle, CURLOPT_CAINFO, request.ca_file.c_str());
  if (!request.local_address.empty()) curl_easy_setopt(handle, CURLOPT_INTERFACE, request.local_address.c_str());
  if (request.method == "POST") {
    curl_easy_setopt(handle, CURLOPT_POSTFIELDS, request.body.c_str());
    curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE, static_cast<long>(request.body.size()));
  } else if (request.method != "GET") {
    curl_easy_setopt(handle, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }
  curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout.count()));
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &out);
  curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(handle, CURLOPT_HEADERDATA, &out);
  const CURLcode code = curl_easy_perform(handle);
  if (code != CURLE_OK) {
    out.error = curl_easy_strerror(code);
    return out;
  }
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &out.status);
  curl_easy_getinfo(handle, CURLINFO_LOCAL_PORT, &out.local_port);
  return out;
}

}  // namespace tlsdoctor::lab
