// A TLS connection on a TCP socket that OpenSSL reads and writes itself, as coroutines; Asio only waits for readiness.
//
// Included by reference_server.cpp alone (it brings Asio). Compared with asio::ssl::stream there
// is no memory BIO pair between OpenSSL and the socket: no 2 x 17 KB buffers to allocate and
// clear per connection and no copy of every record.
#pragma once

#include <cstddef>
#include <utility>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "reference/server/tls_steps.h"

namespace tlsdoctor::reference {

class TlsSocketStream {
 public:
  using socket_type = boost::asio::ip::tcp::socket;
  using error_code = boost::system::error_code;

  // What a read or write did: an error, or how many bytes.
  struct Transfer {
    error_code error;
    std::size_t bytes = 0;
  };

  // `socket` must outlive the stream; it is made non-blocking. native_handle() is null when
  // OpenSSL refused to make the connection: every operation then fails.
  TlsSocketStream(socket_type& socket, SSL_CTX* ctx) : socket_(socket) {
    error_code ec;
    socket_.non_blocking(true, ec);
    if (!ec) ssl_ = make_server_ssl(ctx, socket_.native_handle());
  }

  SSL* native_handle() const { return ssl_.get(); }

  boost::asio::awaitable<error_code> handshake() {
    co_return (co_await drive([this] { return tls_accept_step(ssl_.get()); })).error;
  }

  // Some bytes into `into` (at least one), or eof once the peer sent close_notify.
  boost::asio::awaitable<Transfer> read_some(boost::asio::mutable_buffer into) {
    co_return co_await drive([this, into] { return tls_read_step(ssl_.get(), into.data(), into.size()); });
  }

  // All of `bytes` (OpenSSL may take them in several records).
  boost::asio::awaitable<error_code> write_all(boost::asio::const_buffer bytes) {
    while (bytes.size() > 0) {
      const Transfer sent = co_await drive([this, bytes] { return tls_write_step(ssl_.get(), bytes.data(), bytes.size()); });
      if (sent.error) co_return sent.error;
      bytes += sent.bytes;
    }
    co_return error_code{};
  }

  // Sends close_notify (not waiting for the peer's), bounded by whatever closes the socket.
  boost::asio::awaitable<error_code> shutdown() {
    co_return (co_await drive([this] { return tls_shutdown_step(ssl_.get()); })).error;
  }

 private:
  static error_code to_error(const TlsStep& step) {
    switch (step.outcome) {
      case TlsOutcome::Closed: return boost::asio::error::eof;
      case TlsOutcome::Truncated: return boost::asio::ssl::error::stream_truncated;
      default:
        if (step.reason != 0) return error_code(static_cast<int>(step.reason), boost::asio::error::get_ssl_category());
        return boost::asio::error::connection_aborted;
    }
  }

  // Calls `call` until it finishes, waiting for the socket whenever OpenSSL asks. Once the
  // socket is closed (a watchdog closes it when a phase overruns) OpenSSL is not called again,
  // so it never touches a descriptor number that may have been reused.
  template <typename Call>
  boost::asio::awaitable<Transfer> drive(Call call) {
    for (;;) {
      if (!ssl_ || !socket_.is_open()) co_return Transfer{boost::asio::error::bad_descriptor, 0};
      const TlsStep step = call();
      if (step.outcome == TlsOutcome::Done) co_return Transfer{error_code{}, step.bytes};
      if (step.outcome != TlsOutcome::WantRead && step.outcome != TlsOutcome::WantWrite) {
        co_return Transfer{to_error(step), 0};
      }
      error_code ec;
      co_await socket_.async_wait(step.outcome == TlsOutcome::WantRead ? socket_type::wait_read : socket_type::wait_write,
                                  boost::asio::redirect_error(boost::asio::use_awaitable, ec));
      if (ec) co_return Transfer{ec, 0};
    }
  }

  socket_type& socket_;
  tls::SslPtr ssl_;
};

}  // namespace tlsdoctor::reference
