// The reference's listeners and connections: Boost.Asio coroutines, Beast for HTTP/1.1, one io_context per thread.
#include "reference/server/reference_server.h"

#include <sys/resource.h>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

// GCC 12 at -O2 takes Asio's recycling allocator for coroutine frames (thread_info_base
// allocates with ::operator new, the frame's own operator delete returns the block to it) for a
// mismatched new/delete; the pairing is Asio's by design.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include "reference/protocol/protocol_version.h"
#include "reference/server/client_rate_limiter.h"
#include "reference/server/http_request.h"
#include "reference/server/listen_sockets.h"
#include "reference/server/proxy_protocol.h"
#include "reference/server/server_limits.h"
#include "reference/server/connection_io.h"
#include "reference/server/tls_socket_stream.h"
#include "tls/handshake_io.h"

namespace tlsdoctor::reference {
namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;
using boost::system::error_code;

namespace {

bool is_observe(const http::request<http::string_body>& message) {
  return endpoint_of(std::string_view(message.target().data(), message.target().size())) == Endpoint::Observe;
}

std::string seconds_text(std::chrono::seconds value) { return std::to_string(value.count()); }

// Releases one place of the global observe cap when the observation ends, however it ends.
class ObserveSlot {
 public:
  explicit ObserveSlot(std::atomic<std::size_t>& in_flight) : in_flight_(in_flight) {}
  ~ObserveSlot() { --in_flight_; }
  ObserveSlot(const ObserveSlot&) = delete;
  ObserveSlot& operator=(const ObserveSlot&) = delete;

 private:
  std::atomic<std::size_t>& in_flight_;
};

}  // namespace

struct ReferenceServer::Impl {
  const Router& router;
  const ServerSettings settings;
  // One per io context, in the same order. With several threads each has its own OpenSSL
  // library context (see OwnLibrary), so that concurrent handshakes share no OpenSSL state.
  std::vector<ServerTls> thread_tls;
  // What sessions use is declared before the contexts, so that it outlives the coroutine
  // frames the contexts destroy (an observation's slot, the metrics, the counters).
  // Observations block on the target's handshakes: they run here, off the io threads, so that
  // a slow target never holds up echo and time answers.
  asio::thread_pool observe_pool{kMaxConcurrentObserves};
  std::atomic<std::size_t> observes_in_flight{0};
  ClientRateLimiter observe_limiter{kObserveBurst, kObserveRefillInterval, kMaxTrackedClients};
  ServerMetrics metrics;
  std::atomic<std::size_t> connections{0};
  std::atomic<bool> stopping{false};
  std::mutex mutex;
  std::condition_variable idle;
  // One io_context per thread, each told it runs on one thread, each with its own acceptor on
  // every listen port (SO_REUSEPORT: the kernel spreads connections over them). A connection
  // lives on the context that accepted it from accept to close, so its handlers never wake
  // another thread or take a shared scheduler's locks.
  std::vector<std::unique_ptr<asio::io_context>> contexts;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> keep_running;
  std::vector<tcp::acceptor> acceptors;          // on the first context, one per listen address
  std::vector<tcp::acceptor> sibling_acceptors;  // the same ports on the other contexts (SO_REUSEPORT)
  std::vector<tcp::acceptor> captive_acceptors;
  std::vector<std::thread> threads;

  Impl(const Router& r, const ServerSettings& s, std::vector<ServerTls> t)
      : router(r),
        settings(s),
        thread_tls(std::move(t)),
        contexts(make_contexts(thread_tls.size())) {
    for (auto& context : contexts) keep_running.push_back(asio::make_work_guard(*context));
  }

  static std::vector<std::unique_ptr<asio::io_context>> make_contexts(std::size_t count) {
    std::vector<std::unique_ptr<asio::io_context>> out;
    for (std::size_t i = 0; i < count; ++i) out.push_back(std::make_unique<asio::io_context>(1));
    return out;
  }

  asio::io_context& listener_context() { return *contexts.front(); }

  // The TLS context of the io context `executor` belongs to.
  const ServerTls& tls_of(const asio::any_io_executor& executor) const {
    for (std::size_t i = 0; i < contexts.size(); ++i) {
      if (&asio::query(executor, asio::execution::context) == contexts[i].get()) return thread_tls[i];
    }
    return thread_tls.front();
  }

  asio::awaitable<void> accept_loop(tcp::acceptor& acceptor, bool captive) {
    while (!stopping) {
      error_code ec;
      tcp::socket socket =
          co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        if (stopping || ec == asio::error::operation_aborted) co_return;
        continue;  // EMFILE and the like: the next accept may succeed once a connection ends
      }
      if (connections >= kMaxConnections) {
        metrics.count_error(ServerError::ConnectionLimit);
        continue;  // closed as it goes out of scope
      }
      ++connections;
      metrics.connection_opened();
      auto executor = socket.get_executor();
      auto work = captive ? captive_session(std::move(socket)) : session(std::move(socket), tls_of(executor));
      asio::co_spawn(executor, std::move(work), [this](std::exception_ptr) { finished(); });
    }
  }

  void finished() {
    metrics.connection_closed();
    const std::lock_guard lock(mutex);
    --connections;
    idle.notify_all();
  }

  // Reads the PROXY v2 header (exactly its bytes: TLS starts right after) and returns the
  // client it names; nullopt when the connection must be closed.
  asio::awaitable<std::optional<PeerAddress>> read_proxy_header(tcp::socket& socket, PeerAddress peer) {
    error_code ec;
    std::array<std::uint8_t, kProxyV2FixedBytes> fixed{};
    co_await asio::async_read(socket, asio::buffer(fixed), asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return std::nullopt;
    auto remaining = proxy_v2_remaining(fixed);
    if (!remaining) {
      metrics.count_error(ServerError::ProxyHeaderInvalid);
      co_return std::nullopt;
    }
    std::vector<std::uint8_t> rest(*remaining);
    co_await asio::async_read(socket, asio::buffer(rest), asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return std::nullopt;
    auto proxied = parse_proxy_v2(fixed, rest);
    if (!proxied) {
      metrics.count_error(ServerError::ProxyHeaderInvalid);
      co_return std::nullopt;
    }
    if (!proxied->local && proxied->source) peer = *proxied->source;
    co_return peer;
  }

  // Admission (the client's token bucket, then the global cap), then the router on the
  // observe pool; the session resumes on its own context with the answer.
  asio::awaitable<Response> observe(Request request) {
    const std::string nonce = query_value(request.target, "nonce");
    const auto decision = observe_limiter.take(request.peer.address, std::chrono::steady_clock::now());
    if (!decision.allowed) {
      Response refused = router.error(429, "rate_limited", "too many observations from this client", nonce);
      refused.headers.emplace_back("Retry-After", seconds_text(decision.retry_after));
      co_return refused;
    }
    if (observes_in_flight.fetch_add(1) >= kMaxConcurrentObserves) {
      --observes_in_flight;
      Response refused = router.error(429, "busy", "the reference is running its most observations at once", nonce);
      refused.headers.emplace_back("Retry-After", "1");
      co_return refused;
    }
    ObserveSlot slot(observes_in_flight);
    co_return co_await asio::co_spawn(
        observe_pool, [&]() -> asio::awaitable<Response> { co_return router.handle(request); }, asio::use_awaitable);
  }

  void log_request(Endpoint endpoint, const Response& response, std::string_view version,
                   std::chrono::steady_clock::duration took) {
    metrics.count_request(endpoint, response.status, took);
    if (response.status >= 400) metrics.count_error(error_of(response.status, response.error_code));
    if (!settings.request_log) return;
    nlohmann::json event{{"event", "request"},
                         {"endpoint", std::string(endpoint_name(endpoint))},
                         {"status", response.status},
                         {"tls", std::string(version)},
                         {"ms", std::chrono::duration<double, std::milli>(took).count()}};
    if (!response.error_code.empty()) event["error"] = response.error_code;
    settings.request_log(event);
  }

  asio::awaitable<void> session(tcp::socket socket, const ServerTls& tls) {
    error_code ec;
    PeerAddress peer;
    if (const auto remote = socket.remote_endpoint(ec); !ec) {
      peer.address = remote.address().to_string();
      peer.port = remote.port();
    }
    Watchdog watchdog(socket);
    watchdog.arm(kHandshakeTimeout);
    if (settings.proxy_protocol) {
      auto proxied = co_await read_proxy_header(socket, peer);
      if (!proxied) co_return;
      peer = std::move(*proxied);
    }
    TlsSocketStream stream(socket, tls.context.get());
    if (stream.native_handle() == nullptr) {
      metrics.count_error(ServerError::HandshakeFailed);
      co_return;
    }
    ClientHelloCapture capture;
    attach_capture(stream.native_handle(), &capture);
    const auto handshake_started = std::chrono::steady_clock::now();
    ec = co_await stream.handshake();
    attach_capture(stream.native_handle(), nullptr);
    if (ec) {
      const bool timed_out = std::chrono::steady_clock::now() - handshake_started >= kHandshakeTimeout;
      metrics.count_error(timed_out ? ServerError::HandshakeTimeout : ServerError::HandshakeFailed);
      co_return;
    }
    const TlsFacts facts = tls_facts(stream.native_handle(), tls, capture);
    metrics.count_handshake(facts.version);

    boost::beast::flat_buffer buffer;
    for (std::size_t served = 0; served < kMaxRequestsPerConnection && !stopping; ++served) {
      RequestParser parser;
      apply_request_limits(parser);
      watchdog.arm(served == 0 ? kRequestTimeout : kIdleTimeout);
      const auto waited_from = std::chrono::steady_clock::now();
      ec = co_await read_request(stream, buffer, parser);
      const auto started = std::chrono::steady_clock::now();
      Response response;
      Endpoint endpoint = Endpoint::Other;
      bool keep_alive = false;
      if (ec == http::error::header_limit) {
        response = router.error(431, "too_large", "request headers over " + std::to_string(kMaxHeaderBytes) + " bytes");
      } else if (ec == http::error::body_limit) {
        response =
            router.error(413, "too_large", "request body over " + std::to_string(kMaxRequestBodyBytes) + " bytes");
      } else if (ec) {
        // A request begun but not finished in time is a slow client; a clean close between
        // requests is not an error.
        if (buffer.size() > 0 && started - waited_from >= kRequestTimeout) {
          metrics.count_error(ServerError::RequestTimeout);
        }
        break;
      } else {
        const auto& message = parser.get();
        // The last request a connection may carry says so in its answer, so that the client
        // does not send another on a connection about to close.
        keep_alive = message.keep_alive() && served + 1 < kMaxRequestsPerConnection && !stopping;
        endpoint = endpoint_of(std::string_view(message.target().data(), message.target().size()));
        if (endpoint == Endpoint::Metrics && message.method() == http::verb::get) {
          response = Response{200, "text/plain; version=0.0.4", metrics.render(), {}, {}};
        } else if (is_observe(message) && router.offers_observe()) {
          response = co_await observe(to_request(message, peer, facts));
        } else {
          response = router.handle(to_request(message, peer, facts));
        }
      }
      log_request(endpoint, response, facts.version, std::chrono::steady_clock::now() - started);
      watchdog.arm(kWriteTimeout);
      const std::string out = wire_text(to_message(response, keep_alive));
      ec = co_await stream.write_all(asio::buffer(out));
      if (ec || !keep_alive) break;
    }
    // One close_notify, not waiting for the peer's; a full send buffer is still bounded by the
    // write phase's deadline.
    (void)co_await stream.shutdown();
    watchdog.disarm();
  }

  // The plain-HTTP captive-portal listener: one request, the fixed page, close.
  asio::awaitable<void> captive_session(tcp::socket socket) {
    Watchdog watchdog(socket);
    watchdog.arm(kRequestTimeout);
    error_code ec;
    boost::beast::flat_buffer buffer;
    http::request_parser<http::empty_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(kMaxHeaderBytes));
    co_await http::async_read(socket, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;
    const auto started = std::chrono::steady_clock::now();
    const auto& message = parser.get();
    Response response{404, "text/plain", "not found\n", {}, "not_found"};
    if (std::string_view(message.target().data(), message.target().size()) == kCaptivePortalPath &&
        message.method() == http::verb::get) {
      response = Response{200, "text/plain", std::string(kCaptivePortalBody), {{"Cache-Control", "no-store"}}, {}};
    }
    log_request(Endpoint::Captive, response, "", std::chrono::steady_clock::now() - started);
    watchdog.arm(kWriteTimeout);
    auto out = to_message(response, false);
    co_await http::async_write(socket, out, asio::redirect_error(asio::use_awaitable, ec));
    socket.shutdown(tcp::socket::shutdown_both, ec);
    watchdog.disarm();
  }
};

ReferenceServer::ReferenceServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

ReferenceServer::~ReferenceServer() { stop(); }

tl::expected<std::unique_ptr<ReferenceServer>, Error> ReferenceServer::start(const ServerSettings& settings,
                                                                             const Router& router) {
  const std::size_t thread_count = std::max<std::size_t>(1, settings.threads);
  std::vector<ServerTls> thread_tls;
  for (std::size_t i = 0; i < thread_count; ++i) {
    auto tls = make_server_tls(settings.identity, thread_count > 1 ? OwnLibrary::Yes : OwnLibrary::No);
    if (!tls) return tl::unexpected(tls.error());
    thread_tls.push_back(std::move(*tls));
  }
  if (settings.listen.empty()) return tl::unexpected(Error{"--listen", "no address to listen on"});
  // Each connection holds a descriptor: raise the soft limit to the hard one so that
  // kMaxConnections fit (no privileges needed).
  rlimit files{};
  if (::getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
    files.rlim_cur = files.rlim_max;
    (void)::setrlimit(RLIMIT_NOFILE, &files);
  }
  auto impl = std::make_unique<Impl>(router, settings, std::move(thread_tls));
  const bool shared_ports = impl->contexts.size() > 1;
  auto bound = bind_all(impl->listener_context(), settings.listen, shared_ports);
  if (!bound) return tl::unexpected(bound.error());
  impl->acceptors = std::move(*bound);
  const auto ports = bound_ports(impl->acceptors);
  for (std::size_t i = 1; i < impl->contexts.size(); ++i) {
    auto siblings = bind_all(*impl->contexts[i], settings.listen, true, ports);
    if (!siblings) return tl::unexpected(siblings.error());
    for (auto& acceptor : *siblings) impl->sibling_acceptors.push_back(std::move(acceptor));
  }
  auto captive = bind_all(impl->listener_context(), settings.captive_listen, false);
  if (!captive) return tl::unexpected(captive.error());
  impl->captive_acceptors = std::move(*captive);
  for (auto* set : {&impl->acceptors, &impl->sibling_acceptors}) {
    for (auto& acceptor : *set) asio::co_spawn(acceptor.get_executor(), impl->accept_loop(acceptor, false), asio::detached);
  }
  for (auto& acceptor : impl->captive_acceptors) {
    asio::co_spawn(impl->listener_context(), impl->accept_loop(acceptor, true), asio::detached);
  }
  for (std::size_t i = 0; i < impl->contexts.size(); ++i) {
    impl->threads.emplace_back([io = impl->contexts[i].get(), library = impl->thread_tls[i].library.get()] {
      // OpenSSL writes the sockets itself (write(2)): a client gone mid-answer must give EPIPE,
      // not kill the process.
      const tls::ScopedSigpipeBlock no_sigpipe;
      io->run();
      // This thread's state in its own library context (its random generators) goes with it.
      if (library != nullptr) OPENSSL_thread_stop_ex(library);
    });
  }
  return std::unique_ptr<ReferenceServer>(new ReferenceServer(std::move(impl)));
}

std::vector<std::uint16_t> ReferenceServer::ports() const { return bound_ports(impl_->acceptors); }

std::vector<std::uint16_t> ReferenceServer::captive_ports() const { return bound_ports(impl_->captive_acceptors); }

const ServerMetrics& ReferenceServer::metrics() const { return impl_->metrics; }

void ReferenceServer::stop() {
  if (!impl_ || impl_->stopping.exchange(true)) return;
  // Each acceptor is closed on its own context's thread.
  for (auto* set : {&impl_->acceptors, &impl_->sibling_acceptors, &impl_->captive_acceptors}) {
    for (auto& acceptor : *set) {
      asio::post(acceptor.get_executor(), [&acceptor] {
        error_code ignored;
        acceptor.close(ignored);
      });
    }
  }
  {
    std::unique_lock lock(impl_->mutex);
    impl_->idle.wait_for(lock, kShutdownGrace, [&] { return impl_->connections == 0; });
  }
  impl_->keep_running.clear();
  for (auto& context : impl_->contexts) context->stop();
  for (auto& thread : impl_->threads) thread.join();
  impl_->threads.clear();
  // An observation still running finishes by its own deadline.
  impl_->observe_pool.join();
}

}  // namespace tlsdoctor::reference
