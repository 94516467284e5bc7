// A TCP stream to host:port through an HTTP proxy: libcurl speaks CONNECT (and proxy authentication), we speak TLS over it.
#pragma once

#include <cstdint>
#include <string>

#include <tl/expected.hpp>

#include "core/deadline.h"
#include "proxy/curl_handle.h"
#include "tls/failure.h"
#include "tls/handshake.h"

namespace tlsdoctor::tls {

// The CONNECT answer's headers we keep (Proxy-Authenticate lines and the status line); a
// proxy that sends more is cut there rather than held in memory.
inline constexpr std::size_t kMaxProxyHeaderBytes = 16 * 1024;

// Owns the libcurl handle whose connection is the tunnel; the socket lives as long as this does
// (curl_easy_cleanup closes it).
class ProxyTunnel {
 public:
  ProxyTunnel(proxy::CurlEasy curl, int fd) : curl_(std::move(curl)), fd_(fd) {}
  int fd() const { return fd_; }  // non-blocking, connected through the proxy to the target

 private:
  proxy::CurlEasy curl_;
  int fd_ = -1;
};

struct TunnelFailure {
  Failure failure = Failure::ProxyError;  // one of the proxy_* classes
  std::string detail;
};

// Opens the tunnel with libcurl (CURLOPT_CONNECT_ONLY + CURLOPT_HTTPPROXYTUNNEL, proxy
// authentication CURLAUTH_ANY so Basic, Digest, NTLM and Negotiate are libcurl's). `proxy_url`
// may carry credentials. Fills `observation` (display form, CONNECT status, offered
// authentication schemes, elapsed) whether or not it succeeds. Bounded by `deadline`.
tl::expected<ProxyTunnel, TunnelFailure> open_proxy_tunnel(const std::string& proxy_url,
                                                           const std::string& host, std::uint16_t port,
                                                           const Deadline& deadline,
                                                           ProxyObservation& observation);

}  // namespace tlsdoctor::tls
