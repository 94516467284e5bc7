// Connects to the first reachable address of a probe, recording every attempt and its failure class.
#include "tls/tcp_connect.h"

#include <cerrno>

namespace tlsdoctor::tls {
namespace {

using Clock = std::chrono::steady_clock;

}  // namespace

Failure classify_connect_errno(int system_errno) {
  switch (system_errno) {
    case 0:
    case ETIMEDOUT: return Failure::TcpTimeout;
    case ECONNREFUSED: return Failure::TcpRefused;
    case ENETUNREACH:
    case EHOSTUNREACH:
    case ENETDOWN:
    case EHOSTDOWN:
    // No local address of that family (IPv6 disabled, no route): unreachable from here.
    case EADDRNOTAVAIL:
    case EAFNOSUPPORT: return Failure::TcpUnreachable;
    case ECONNRESET: return Failure::TcpReset;
    default: return Failure::TcpError;
  }
}

TcpConnection connect_first(std::span<const ResolvedAddress> addresses, const Deadline& deadline) {
  TcpConnection result;
  if (addresses.empty()) {
    result.failure = Failure::TcpError;
    result.detail = "no address to connect to";
    return result;
  }
  for (std::size_t i = 0; i < addresses.size(); ++i) {
    const auto left = deadline.remaining();
    if (left.count() <= 0) {
      if (result.attempts.empty()) {
        result.failure = Failure::TcpTimeout;
        result.detail = "no time left to connect";
      }
      break;
    }
    const auto share = left / static_cast<long>(addresses.size() - i);
    const auto started = Clock::now();
    auto connected = connect_tcp(addresses[i].storage, addresses[i].length, deadline.sub(share));
    ConnectAttempt attempt;
    attempt.address = addresses[i].text;
    attempt.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
    if (connected) {
      result.attempts.push_back(std::move(attempt));
      result.fd = std::move(*connected);
      result.used = i;
      result.failure = Failure::None;
      result.detail.clear();
      return result;
    }
    attempt.failure = connected.error().timed_out ? Failure::TcpTimeout
                                                  : classify_connect_errno(connected.error().system_errno);
    attempt.error = connected.error().message;
    // A host with no IPv6 route reports every AAAA address unreachable; when another address
    // got further (refused, timed out), that is the answer that says something about the server.
    const bool keep_earlier = attempt.failure == Failure::TcpUnreachable && result.failure != Failure::None &&
                              result.failure != Failure::TcpUnreachable;
    if (!keep_earlier) {
      result.failure = attempt.failure;
      result.detail = attempt.address + ": " + attempt.error;
    }
    result.attempts.push_back(std::move(attempt));
  }
  return result;
}

}  // namespace tlsdoctor::tls
