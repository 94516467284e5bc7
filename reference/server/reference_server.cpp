// The reference's listeners and connections: Boost.Asio coroutines, Beast for HTTP/1.1, one strand per connection.
#include "reference/server/reference_server.h"

#include <sys/resource.h>

#include <atomic>
#include <charconv>
#include <condition_variable>
#include <mutex>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include "reference/protocol/protocol_version.h"
#include "reference/server/server_limits.h"

namespace tlsdoctor::reference {
namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;
using boost::system::error_code;

namespace {

// Closes the connection's socket when the current phase outlives its deadline; every await
// then ends with an error, and the session unwinds.
class Watchdog {
 public:
  explicit Watchdog(tcp::socket& socket) : socket_(socket), timer_(socket.get_executor()) {}
  void arm(std::chrono::steady_clock::duration limit) {
    timer_.expires_after(limit);
    timer_.async_wait([this](error_code ec) {
      if (ec) return;  // re-armed or cancelled: the socket may already be gone
      error_code ignored;
      socket_.close(ignored);
    });
  }
  void disarm() { timer_.cancel(); }

 private:
  tcp::socket& socket_;
  asio::steady_timer timer_;
};

Request to_request(const http::request<http::string_body>& message, const PeerAddress& peer, TlsFacts facts) {
  Request request;
  request.method = std::string(message.method_string());
  request.target = std::string(message.target());
  for (const auto& field : message) request.headers.emplace_back(field.name_string(), field.value());
  request.body = message.body();
  request.peer = peer;
  request.tls = std::move(facts);
  return request;
}

http::response<http::string_body> to_message(const Response& response, bool keep_alive) {
  http::response<http::string_body> message{static_cast<http::status>(response.status), 11};
  message.set(http::field::server, "tlsdoctor-reference");
  message.set(http::field::content_type, response.content_type);
  for (const auto& [name, value] : response.headers) message.set(name, value);
  message.body() = response.body;
  message.keep_alive(keep_alive);
  message.prepare_payload();
  return message;
}

}  // namespace

struct ReferenceServer::Impl {
  const Router& router;
  ServerTls tls;
  // Asio's wrapper of the same SSL_CTX (it takes a reference of its own and frees that).
  asio::ssl::context ssl_context;
  asio::io_context io;
  std::vector<tcp::acceptor> acceptors;
  std::vector<std::thread> threads;
  std::atomic<std::size_t> connections{0};
  std::atomic<bool> stopping{false};
  std::mutex mutex;
  std::condition_variable idle;

  Impl(const Router& r, ServerTls t, std::size_t thread_count)
      : router(r), tls(std::move(t)), ssl_context(shared(tls.context.get())), io(static_cast<int>(thread_count)) {}

  static SSL_CTX* shared(SSL_CTX* context) {
    SSL_CTX_up_ref(context);
    return context;
  }

  asio::awaitable<void> accept_loop(tcp::acceptor& acceptor) {
    while (!stopping) {
      error_code ec;
      tcp::socket socket =
          co_await acceptor.async_accept(asio::make_strand(io), asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        if (stopping || ec == asio::error::operation_aborted) co_return;
        continue;  // EMFILE and the like: the next accept may succeed once a connection ends
      }
      if (connections >= kMaxConnections) continue;  // closed as it goes out of scope
      ++connections;
      auto executor = socket.get_executor();
      asio::co_spawn(executor, session(std::move(socket)), [this](std::exception_ptr) { finished(); });
    }
  }

  void finished() {
    const std::lock_guard lock(mutex);
    --connections;
    idle.notify_all();
  }

  asio::awaitable<void> session(tcp::socket socket) {
    error_code ec;
    PeerAddress peer;
    if (const auto remote = socket.remote_endpoint(ec); !ec) {
      peer.address = remote.address().to_string();
      peer.port = remote.port();
    }
    Watchdog watchdog(socket);
    asio::ssl::stream<tcp::socket&> stream(socket, ssl_context);
    ClientHelloCapture capture;
    attach_capture(stream.native_handle(), &capture);
    watchdog.arm(kHandshakeTimeout);
    co_await stream.async_handshake(asio::ssl::stream_base::server, asio::redirect_error(asio::use_awaitable, ec));
    attach_capture(stream.native_handle(), nullptr);
    if (ec) co_return;
    const TlsFacts facts = tls_facts(stream.native_handle(), tls, capture);

    boost::beast::flat_buffer buffer;
    for (std::size_t served = 0; served < kMaxRequestsPerConnection && !stopping; ++served) {
      http::request_parser<http::string_body> parser;
      parser.header_limit(static_cast<std::uint32_t>(kMaxHeaderBytes));
      parser.body_limit(kMaxRequestBodyBytes);
      watchdog.arm(served == 0 ? kRequestTimeout : kIdleTimeout);
      co_await http::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
      Response response;
      bool keep_alive = false;
      if (ec == http::error::header_limit) {
        response = router.error(431, "too_large", "request headers over " + std::to_string(kMaxHeaderBytes) + " bytes");
      } else if (ec == http::error::body_limit) {
        response =
            router.error(413, "too_large", "request body over " + std::to_string(kMaxRequestBodyBytes) + " bytes");
      } else if (ec) {
        break;  // closed, timed out, or not HTTP: nothing useful to answer
      } else {
        const auto& message = parser.get();
        // The last request a connection may carry says so in its answer, so that the client
        // does not send another on a connection about to close.
        keep_alive = message.keep_alive() && served + 1 < kMaxRequestsPerConnection && !stopping;
        response = router.handle(to_request(message, peer, facts));
      }
      watchdog.arm(kWriteTimeout);
      auto out = to_message(response, keep_alive);
      co_await http::async_write(stream, out, asio::redirect_error(asio::use_awaitable, ec));
      if (ec || !keep_alive) break;
    }
    watchdog.arm(std::chrono::seconds(1));  // a polite close_notify, if the peer still listens
    co_await stream.async_shutdown(asio::redirect_error(asio::use_awaitable, ec));
    watchdog.disarm();
  }
};

ReferenceServer::ReferenceServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

ReferenceServer::~ReferenceServer() { stop(); }

tl::expected<ListenAddress, Error> parse_listen_address(const std::string& text) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) return tl::unexpected(Error{text, "expected ADDRESS:PORT"});
  std::string address = text.substr(0, colon);
  if (address.size() > 2 && address.front() == '[' && address.back() == ']')
    address = address.substr(1, address.size() - 2);
  unsigned port = 0;
  const std::string port_text = text.substr(colon + 1);
  const auto [end, error] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (error != std::errc() || end != port_text.data() + port_text.size() || port > 65535) {
    return tl::unexpected(Error{text, "the port must be a number from 0 to 65535"});
  }
  error_code ec;
  (void)asio::ip::make_address(address, ec);
  if (ec) return tl::unexpected(Error{text, "not an IP address: " + address});
  return ListenAddress{address, static_cast<std::uint16_t>(port)};
}

tl::expected<std::unique_ptr<ReferenceServer>, Error> ReferenceServer::start(const ServerSettings& settings,
                                                                             const Router& router) {
  auto tls = make_server_tls(settings.identity);
  if (!tls) return tl::unexpected(tls.error());
  if (settings.listen.empty()) return tl::unexpected(Error{"--listen", "no address to listen on"});
  // Each connection holds a descriptor: raise the soft limit to the hard one so that
  // kMaxConnections fit (no privileges needed).
  rlimit files{};
  if (::getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
    files.rlim_cur = files.rlim_max;
    (void)::setrlimit(RLIMIT_NOFILE, &files);
  }
  const std::size_t threads = std::max<std::size_t>(1, settings.threads);
  auto impl = std::make_unique<Impl>(router, std::move(*tls), threads);
  for (const auto& text : settings.listen) {
    auto where = parse_listen_address(text);
    if (!where) return tl::unexpected(where.error());
    error_code ec;
    tcp::endpoint endpoint(asio::ip::make_address(where->address, ec), where->port);
    tcp::acceptor acceptor(impl->io);
    acceptor.open(endpoint.protocol(), ec);
    if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec && endpoint.address().is_v6()) acceptor.set_option(asio::ip::v6_only(true), ec);
    if (!ec) acceptor.bind(endpoint, ec);
    if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) return tl::unexpected(Error{text, "cannot listen: " + ec.message()});
    impl->acceptors.push_back(std::move(acceptor));
  }
  for (auto& acceptor : impl->acceptors) asio::co_spawn(impl->io, impl->accept_loop(acceptor), asio::detached);
  for (std::size_t i = 0; i < threads; ++i) impl->threads.emplace_back([io = &impl->io] { io->run(); });
  return std::unique_ptr<ReferenceServer>(new ReferenceServer(std::move(impl)));
}

std::vector<std::uint16_t> ReferenceServer::ports() const {
  std::vector<std::uint16_t> out;
  for (const auto& acceptor : impl_->acceptors) {
    error_code ec;
    out.push_back(acceptor.local_endpoint(ec).port());
  }
  return out;
}

void ReferenceServer::stop() {
  if (!impl_ || impl_->stopping.exchange(true)) return;
  asio::post(impl_->io, [impl = impl_.get()] {
    for (auto& acceptor : impl->acceptors) {
      error_code ignored;
      acceptor.close(ignored);
    }
  });
  {
    std::unique_lock lock(impl_->mutex);
    impl_->idle.wait_for(lock, kShutdownGrace, [&] { return impl_->connections == 0; });
  }
  impl_->io.stop();
  for (auto& thread : impl_->threads) thread.join();
  impl_->threads.clear();
}

}  // namespace tlsdoctor::reference
