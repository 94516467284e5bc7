// A libcurl client for lab tests of HTTP services on loopback (the reference): one request, status, headers and body.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tlsdoctor::lab {

struct LabHttpRequest {
  std::string url;                   // "https://tlsdoctor.lab:PORT/v1/echo?nonce=..." or "http://..."
  std::vector<std::string> resolve;  // curl's --resolve entries ("tlsdoctor.lab:PORT:127.0.0.1")
  std::string ca_file;               // anchors for https (verification is on)
  std::string method = "GET";
  std::string body;                     // sent with POST
  std::string local_address;            // bind the client to this address ("127.0.0.7"); "" any
  std::chrono::milliseconds timeout{10000};
};

struct LabHttpResponse {
  long status = 0;  // 0 when no answer came (see error)
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased, in order
  std::string error;                                         // libcurl's words when it failed
  long local_port = 0;                                       // the client's own port
  std::optional<std::string> header(const std::string& lower_name) const;
};

// Never uses a proxy, whatever the environment says.
LabHttpResponse lab_http_request(const LabHttpRequest& request);

}  // namespace tlsdoctor::lab
