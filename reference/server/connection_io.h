// A reference connection's I/O: the watchdog that bounds each phase, reading one request, and an answer's bytes.
//
// Included by reference_server.cpp alone (it brings Asio and Beast).
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/read_size.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/string_body.hpp>

#include "reference/server/http_request.h"
#include "reference/server/request.h"
#include "reference/server/tls_socket_stream.h"

namespace tlsdoctor::reference {

// Bytes asked of the socket per read while a request comes in (Beast's own default).
inline constexpr std::size_t kRequestReadBytes = 65536;

// Closes the connection's socket when the current phase outlives its deadline; every await
// then ends with an error, and the session unwinds. Moving the deadline later costs nothing:
// the timer, when it fires, waits on for the rest; only an earlier deadline re-arms it.
class Watchdog {
 public:
  using Clock = std::chrono::steady_clock;
  using socket_type = boost::asio::ip::tcp::socket;

  explicit Watchdog(socket_type& socket) : socket_(socket), timer_(socket.get_executor()) {}
  ~Watchdog() { *alive_ = false; }
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

  void arm(Clock::duration limit) {
    deadline_ = Clock::now() + limit;
    if (waiting_ && timer_.expiry() <= deadline_) return;
    timer_.expires_at(deadline_);  // a pending wait ends with operation_aborted
    wait();
  }
  void disarm() {
    waiting_ = false;
    timer_.cancel();
  }

 private:
  void wait() {
    waiting_ = true;
    // A wait that expired just before the session ended still runs: `alive` tells it so.
    timer_.async_wait([this, alive = alive_](boost::system::error_code ec) {
      if (ec || !*alive) return;  // re-armed, cancelled, or the session is gone
      if (Clock::now() < deadline_) {
        timer_.expires_at(deadline_);
        wait();
        return;
      }
      waiting_ = false;
      boost::system::error_code ignored;
      socket_.close(ignored);
    });
  }

  socket_type& socket_;
  boost::asio::steady_timer timer_;
  Clock::time_point deadline_{};
  bool waiting_ = false;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

// Reads one request into `parser`, bytes already in `buffer` first, as Beast's http::async_read
// does: the parser's errors (header_limit, body_limit, bad syntax) as they are, end_of_stream
// when the peer closed before a request began, the stream's error otherwise.
inline boost::asio::awaitable<boost::system::error_code> read_request(TlsSocketStream& stream,
                                                                      boost::beast::flat_buffer& buffer,
                                                                      RequestParser& parser) {
  namespace http = boost::beast::http;
  boost::system::error_code ec;
  while (!parser.is_done()) {
    if (buffer.size() > 0) {
      const std::size_t used = parser.put(buffer.data(), ec);
      buffer.consume(used);
      if (ec && ec != http::error::need_more) co_return ec;
      const bool progressed = !ec && used > 0;
      ec = {};
      if (progressed) continue;
    }
    const std::size_t room = boost::beast::read_size(buffer, kRequestReadBytes);
    if (room == 0) co_return http::error::buffer_overflow;
    const auto got = co_await stream.read_some(buffer.prepare(room));
    buffer.commit(got.bytes);
    if (got.error == boost::asio::error::eof) {
      if (!parser.got_some()) co_return http::error::end_of_stream;
      parser.put_eof(ec);
      co_return ec;
    }
    if (got.error) co_return got.error;
  }
  co_return boost::system::error_code{};
}

// The answer's status line, headers and body as written to the wire, in one piece, so that
// it leaves in one TLS record when it fits.
inline std::string wire_text(const boost::beast::http::response<boost::beast::http::string_body>& message) {
  std::string out;
  boost::beast::http::response_serializer<boost::beast::http::string_body> serializer{message};
  boost::system::error_code ec;
  while (!serializer.is_done() && !ec) {
    serializer.next(ec, [&](boost::system::error_code&, const auto& buffers) {
      const std::size_t before = out.size();
      for (auto it = boost::asio::buffer_sequence_begin(buffers); it != boost::asio::buffer_sequence_end(buffers); ++it) {
        const boost::asio::const_buffer piece(*it);
        out.append(static_cast<const char*>(piece.data()), piece.size());
      }
      serializer.consume(out.size() - before);
    });
  }
  return out;
}

// The router's Response as a Beast message: our server name, the content type, its headers,
// the body, and whether the connection stays open.
inline boost::beast::http::response<boost::beast::http::string_body> to_message(const Response& response,
                                                                                  bool keep_alive) {
  namespace http = boost::beast::http;
  http::response<http::string_body> message{static_cast<http::status>(response.status), 11};
  message.set(http::field::server, "tlsdoctor-reference");
  message.set(http::field::content_type, response.content_type);
  for (const auto& [name, value] : response.headers) message.set(name, value);
  message.body() = response.body;
  message.keep_alive(keep_alive);
  message.prepare_payload();
  return message;
}

}  // namespace tlsdoctor::reference
