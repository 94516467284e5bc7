// The CONNECT route: libcurl opens the tunnel (and answers proxy authentication); the probe then speaks TLS over its socket.
#include "tls/proxy_tunnel.h"

#include <fcntl.h>

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "proxy/proxy_url.h"

namespace tlsdoctor::tls {
namespace {

struct HeaderCapture {
  std::string status_line;
  std::vector<std::string> schemes;
  std::size_t bytes = 0;
};

std::string trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

bool starts_with_ci(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != std::tolower(static_cast<unsigned char>(prefix[i]))) {
      return false;
    }
  }
  return true;
}

// libcurl hands over the CONNECT answer's header lines one by one.
std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* capture = static_cast<HeaderCapture*>(user);
  const std::size_t length = size * count;
  if (capture->bytes + length > kMaxProxyHeaderBytes) return length;  // keep what fits, drop the rest
  capture->bytes += length;
  const std::string_view line(data, length);
  if (starts_with_ci(line, "HTTP/")) {
    capture->status_line = trim(line);
    capture->schemes.clear();  // a new answer (after an authentication round) replaces the old
  } else if (starts_with_ci(line, "Proxy-Authenticate:")) {
    std::string value = trim(line.substr(std::string_view("Proxy-Authenticate:").size()));
    const std::string scheme = value.substr(0, value.find(' '));
    if (!scheme.empty() && std::find(capture->schemes.begin(), capture->schemes.end(), scheme) == capture->schemes.end()) {
      capture->schemes.push_back(scheme);
    }
  }
  return length;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

}  // namespace

tl::expected<ProxyTunnel, TunnelFailure> open_proxy_tunnel(const std::string& proxy_url, const std::string& host,
                                                           std::uint16_t port, const Deadline& deadline,
                                                           ProxyObservation& observation) {
  const auto started = Deadline::Clock::now();
  const auto finish = [&](TunnelFailure failure) {
    observation.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Deadline::Clock::now() - started);
    observation.error = failure.detail;
    return tl::unexpected(std::move(failure));
  };
  auto parsed = proxy::parse_proxy_url(proxy_url);
  if (!parsed) {
    observation.proxy = proxy::redact_credentials(proxy_url);
    return finish({Failure::ProxyError, fmt::format("the proxy address '{}' does not parse: {}", parsed.error().input,
                                                    parsed.error().message)});
  }
  observation.proxy = parsed->display();
  const auto budget = deadline.remaining();
  if (budget.count() <= 0) return finish({Failure::ProxyTimeout, "no time left to reach the proxy"});
  proxy::CurlEasy curl = proxy::make_curl_easy();
  if (!curl) return finish({Failure::ProxyError, "libcurl could not start"});

  const bool v6 = host.find(':') != std::string::npos;
  const std::string url = v6 ? fmt::format("http://[{}]:{}/", host, port) : fmt::format("http://{}:{}/", host, port);
  HeaderCapture headers;
  char error_buffer[CURL_ERROR_SIZE] = {};
  CURL* h = curl.get();
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_PROXY, proxy_url.c_str());
  curl_easy_setopt(h, CURLOPT_NOPROXY, "");
  curl_easy_setopt(h, CURLOPT_HTTPPROXYTUNNEL, 1L);
  curl_easy_setopt(h, CURLOPT_CONNECT_ONLY, 1L);
  curl_easy_setopt(h, CURLOPT_PROXYAUTH, static_cast<long>(CURLAUTH_ANY));
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(budget.count()));
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(budget.count()));
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &headers);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer);
  const CURLcode code = curl_easy_perform(h);

  long connect_code = 0;
  curl_easy_getinfo(h, CURLINFO_HTTP_CONNECTCODE, &connect_code);
  observation.connect_status = connect_code;
  observation.auth_offered = join(headers.schemes);
  const std::string curl_says = error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(code);

  // The proxy's answer decides first: libcurl reports a refused CONNECT under several codes.
  if (connect_code == 407) {
    return finish({Failure::ProxyAuthRequired,
                   parsed->has_credentials()
                       ? fmt::format("the proxy rejected the credentials given (407; it offers {})", observation.auth_offered)
                       : fmt::format("the proxy wants credentials (407; it offers {})", observation.auth_offered)});
  }
  if (connect_code != 0 && (connect_code < 200 || connect_code > 299)) {
    return finish({Failure::ProxyRefused, fmt::format("the proxy answered CONNECT with {}", headers.status_line.empty()
                                                                                              ? std::to_string(connect_code)
                                                                                              : headers.status_line)});
  }
  if (code != CURLE_OK) {
    switch (code) {
      case CURLE_COULDNT_RESOLVE_PROXY:
      case CURLE_COULDNT_CONNECT:
        return finish({Failure::ProxyUnreachable, curl_says});
      case CURLE_OPERATION_TIMEDOUT:
        return finish({Failure::ProxyTimeout, curl_says});
      case CURLE_GOT_NOTHING:
      case CURLE_RECV_ERROR:
      case CURLE_SEND_ERROR:
      case CURLE_WEIRD_SERVER_REPLY:
        return finish({Failure::ProxyClosed, curl_says});
      default:
        return finish({Failure::ProxyError, curl_says});
    }
  }
  curl_socket_t fd = CURL_SOCKET_BAD;
  if (curl_easy_getinfo(h, CURLINFO_ACTIVESOCKET, &fd) != CURLE_OK || fd == CURL_SOCKET_BAD) {
    return finish({Failure::ProxyError, "libcurl opened the tunnel but gave no socket"});
  }
  // The handshake that follows is poll-driven: the socket must not block.
  const int flags = fcntl(fd, F_GETFL, 0);
  if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) != 0) {
    return finish({Failure::ProxyError, "the tunnel's socket cannot be made non-blocking"});
  }
  observation.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Deadline::Clock::now() - started);
  return ProxyTunnel(std::move(curl), static_cast<int>(fd));
}

}  // namespace tlsdoctor::tls
