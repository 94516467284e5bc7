// The CONNECT route: libcurl opens the tunnel (and answers proxy authentication); the probe then speaks TLS over its socket.
#include "tls/proxy_tunnel.h"

#include <fcntl.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "core/utf8.h"
#include "proxy/proxy_url.h"

namespace tlsdoctor::tls {
namespace {

struct HeaderCapture {
  std::string status_line;
  std::vector<std::string> schemes;
  std::size_t bytes = 0;
};

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
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

// One Proxy-Authenticate value may hold several challenges ("Negotiate, NTLM" or
// `Digest realm="a, b", nonce="x", Basic realm="c"`, RFC 9110 section 11.6.1). Split it on commas
// outside quotes; a piece whose first word has no '=' starts a challenge and names its scheme.
void add_schemes(std::string_view value, std::vector<std::string>& schemes) {
  bool quoted = false;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= value.size(); ++i) {
    if (i < value.size()) {
      if (value[i] == '"' && (i == 0 || value[i - 1] != '\\')) quoted = !quoted;
      if (quoted || value[i] != ',') continue;
    }
    const std::string_view piece = trim(value.substr(start, i - start));
    start = i + 1;
    const std::string_view word = piece.substr(0, std::min(piece.find(' '), piece.size()));
    if (word.empty() || word.find('=') != std::string_view::npos) continue;
    auto scheme = escape_invalid_utf8(word);  // a proxy's bytes reach reports as JSON
    if (std::find(schemes.begin(), schemes.end(), scheme) == schemes.end()) schemes.push_back(std::move(scheme));
  }
}

// libcurl hands over the CONNECT answers' header lines one by one (one answer per
// authentication round).
std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* capture = static_cast<HeaderCapture*>(user);
  const std::size_t length = size * count;
  if (capture->bytes + length > kMaxProxyHeaderBytes) return length;  // keep what fits, drop the rest
  capture->bytes += length;
  const std::string_view line(data, length);
  constexpr std::string_view kChallenge = "Proxy-Authenticate:";
  if (starts_with_ci(line, "HTTP/")) {
    capture->status_line = escape_invalid_utf8(trim(line));  // a proxy's bytes reach reports as JSON
    capture->schemes.clear();  // the latest answer is the one that counts
  } else if (starts_with_ci(line, kChallenge)) {
    add_schemes(trim(line.substr(kChallenge.size())), capture->schemes);
  }
  return length;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

// The schemes this build of libcurl can answer: NTLM and Negotiate depend on how it was built
// (Debian 12's 7.88 has both, Negotiate through GSS-API).
std::string schemes_libcurl_answers() {
  std::string out = "Basic, Digest";
  const curl_version_info_data* version = curl_version_info(CURLVERSION_NOW);
  if (version == nullptr) return out;
  if ((version->features & CURL_VERSION_NTLM) != 0) out += ", NTLM";
  if ((version->features & CURL_VERSION_SPNEGO) != 0) out += ", Negotiate";
  return out;
}

bool offers(const std::vector<std::string>& schemes, std::string_view wanted) {
  return std::any_of(schemes.begin(), schemes.end(), [&](const std::string& scheme) {
    return scheme.size() == wanted.size() && starts_with_ci(scheme, wanted);
  });
}

std::string auth_required_detail(bool had_credentials, bool negotiate_skipped, const std::string& offered) {
  const std::string offers_text = offered.empty() ? "it names no scheme" : "it offers " + offered;
  if (!had_credentials) return fmt::format("the proxy wants credentials (407; {})", offers_text);
  const std::string retried =
      negotiate_skipped ? "; Negotiate (this machine's Kerberos ticket) failed, so the credentials were sent by another scheme"
                        : "";
  return fmt::format("the proxy rejected the credentials given (407; {}{}; libcurl here answers {})", offers_text, retried,
                     schemes_libcurl_answers());
}

std::string refused_detail(long status, const std::string& status_line) {
  const std::string answer = status_line.empty() ? std::to_string(status) : status_line;
  if (status == 403) return fmt::format("the proxy answered CONNECT with {}: its rules forbid this destination", answer);
  if (status >= 500 && status <= 599) {
    return fmt::format("the proxy answered CONNECT with {}: it could not reach the destination itself", answer);
  }
  return fmt::format("the proxy answered CONNECT with {}", answer);
}

TunnelFailure failure_for_curl_code(CURLcode code, const std::string& curl_says) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
      return {Failure::ProxyUnreachable, curl_says};
    case CURLE_OPERATION_TIMEDOUT:
      return {Failure::ProxyTimeout, curl_says};
    case CURLE_GOT_NOTHING:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_WEIRD_SERVER_REPLY:
      return {Failure::ProxyClosed, curl_says};
    default:
      return {Failure::ProxyError, curl_says};
  }
}

// One CONNECT exchange (with libcurl's authentication rounds), kept for classification.
struct Attempt {
  proxy::CurlEasy curl;
  CURLcode code = CURLE_OK;
  long connect_code = 0;
  HeaderCapture headers;
  std::string curl_says;
};

void connect_through(Attempt& attempt, const std::string& proxy_url, const std::string& target_url,
                     std::chrono::milliseconds budget, unsigned long auth_schemes) {
  char error_buffer[CURL_ERROR_SIZE] = {};
  CURL* h = attempt.curl.get();
  curl_easy_setopt(h, CURLOPT_URL, target_url.c_str());
  curl_easy_setopt(h, CURLOPT_PROXY, proxy_url.c_str());
  // The route was chosen by the caller: NO_PROXY in the environment must not silently bypass it.
  curl_easy_setopt(h, CURLOPT_NOPROXY, "");
  curl_easy_setopt(h, CURLOPT_HTTPPROXYTUNNEL, 1L);
  curl_easy_setopt(h, CURLOPT_CONNECT_ONLY, 1L);
  curl_easy_setopt(h, CURLOPT_PROXYAUTH, auth_schemes);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(budget.count()));
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(budget.count()));
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &attempt.headers);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer);
  attempt.code = curl_easy_perform(h);
  // The handle outlives this frame (it owns the tunnel): it must not keep pointers into it.
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, nullptr);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, nullptr);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, nullptr);
  curl_easy_getinfo(h, CURLINFO_HTTP_CONNECTCODE, &attempt.connect_code);
  attempt.curl_says = error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(attempt.code);
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
  if (deadline.remaining().count() <= 0) return finish({Failure::ProxyTimeout, "no time left to reach the proxy"});

  // The URL only tells libcurl what to CONNECT to; nothing is requested from it.
  const bool v6 = host.find(':') != std::string::npos;
  const std::string url = v6 ? fmt::format("http://[{}]:{}/", host, port) : fmt::format("http://{}:{}/", host, port);
  auto attempt = std::make_unique<Attempt>();
  attempt->curl = proxy::make_curl_easy();
  if (!attempt->curl) return finish({Failure::ProxyError, "libcurl could not start"});
  connect_through(*attempt, proxy_url, url, deadline.remaining(), CURLAUTH_ANY);

  // libcurl ranks Negotiate above every other scheme and, when no Kerberos ticket is usable,
  // gives up instead of falling back (7.88). A proxy offering "Negotiate, NTLM, Basic" would
  // then never see the credentials the user gave: try once more without Negotiate.
  bool negotiate_skipped = false;
  if (attempt->connect_code == 407 && parsed->has_credentials() && offers(attempt->headers.schemes, "Negotiate") &&
      attempt->headers.schemes.size() > 1 && deadline.remaining().count() > 0) {
    auto retry = std::make_unique<Attempt>();
    retry->curl = proxy::make_curl_easy();
    if (retry->curl) {
      connect_through(*retry, proxy_url, url, deadline.remaining(), CURLAUTH_ANY & ~CURLAUTH_NEGOTIATE);
      attempt = std::move(retry);
      negotiate_skipped = true;
    }
  }

  const long connect_code = attempt->connect_code;
  observation.connect_status = connect_code;
  observation.auth_offered = join(attempt->headers.schemes);
  // The proxy's answer decides first: libcurl reports a refused CONNECT under several codes.
  if (connect_code == 407) {
    return finish({Failure::ProxyAuthRequired,
                   auth_required_detail(parsed->has_credentials(), negotiate_skipped, observation.auth_offered)});
  }
  if (connect_code != 0 && (connect_code < 200 || connect_code > 299)) {
    return finish({Failure::ProxyRefused, refused_detail(connect_code, attempt->headers.status_line)});
  }
  if (attempt->code != CURLE_OK) return finish(failure_for_curl_code(attempt->code, attempt->curl_says));
  CURL* h = attempt->curl.get();
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
  return ProxyTunnel(std::move(attempt->curl), static_cast<int>(fd));
}

}  // namespace tlsdoctor::tls
