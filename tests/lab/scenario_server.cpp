// The scenario server: a loopback listener, an accept thread, one thread per connection, and what each connection showed.
#include "lab/scenario_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <list>
#include <mutex>
#include <thread>

#include "lab/scenario_behaviours.h"
#include "lab/scenario_context.h"
#include "tls/handshake_io.h"

namespace tlsdoctor::lab {
namespace {

using tls::UniqueFd;

// Benches open 100 probes at once against one server; the kernel queues that many connects.
constexpr int kListenBacklog = 256;
// Threads serving at once. Beyond this a connection is closed unserved (and recorded so):
// a runaway test must not make the process spawn threads without end.
constexpr std::size_t kMaxLiveConnections = 512;
// Records kept for connections(); later ones are counted but not kept, so a long benchmark
// does not grow without bound (each record holds a ClientHello, at most 64 KiB).
constexpr std::size_t kMaxRecordedConnections = 10000;
// How long the accept thread waits when the process is out of descriptors before trying again.
constexpr std::chrono::milliseconds kAcceptRetryPause{50};

constexpr std::array kAllBehaviours = {
    Behaviour::Good,          Behaviour::Expired,          Behaviour::NotYetValid,     Behaviour::WrongHost,
    Behaviour::SelfSigned,    Behaviour::UntrustedRoot,    Behaviour::IncompleteChain, Behaviour::ReversedChain,
    Behaviour::Tls10Only,     Behaviour::Tls11Only,        Behaviour::Tls12Only,       Behaviour::Tls13Only,
    Behaviour::WeakDh,        Behaviour::Rsa1024,          Behaviour::SniRequired,     Behaviour::CertPerSni,
    Behaviour::ClientCertRequired, Behaviour::NeverAnswers, Behaviour::OneBytePerSecond, Behaviour::Garbage,
    Behaviour::ResetAfterHello, Behaviour::FatalAlert,     Behaviour::LongChain,       Behaviour::HugeCertificate,
    Behaviour::CloseMidHandshake, Behaviour::DropLargeHello,
};
static_assert(kAllBehaviours.back() == Behaviour::DropLargeHello, "all_behaviours() must list every behaviour");

struct BoundSocket {
  UniqueFd fd;
  std::string address;
  std::uint16_t port = 0;
};

tl::expected<BoundSocket, LabError> listen_on(const std::string& address) {
  sockaddr_storage storage{};
  socklen_t length = 0;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&storage);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&storage);
  if (::inet_pton(AF_INET, address.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    length = sizeof(sockaddr_in);
  } else if (::inet_pton(AF_INET6, address.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    length = sizeof(sockaddr_in6);
  } else {
    return tl::unexpected("scenario server: \"" + address + "\" is not an IP address");
  }
  // The lab serves on loopback (or a test's own namespace address); a wildcard would put its
  // expired and hostile servers on every interface of the machine.
  const bool wildcard = storage.ss_family == AF_INET ? v4->sin_addr.s_addr == htonl(INADDR_ANY)
                                                     : IN6_IS_ADDR_UNSPECIFIED(&v6->sin6_addr);
  if (wildcard) return tl::unexpected("scenario server: refusing to listen on every interface (" + address + ")");
  BoundSocket bound;
  bound.fd = UniqueFd(::socket(storage.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!bound.fd) return tl::unexpected(std::string("scenario server: socket: ") + std::strerror(errno));
  if (::bind(bound.fd.get(), reinterpret_cast<const sockaddr*>(&storage), length) != 0 ||
      ::listen(bound.fd.get(), kListenBacklog) != 0 ||
      ::getsockname(bound.fd.get(), reinterpret_cast<sockaddr*>(&storage), &length) != 0) {
    return tl::unexpected("scenario server: bind " + address + ": " + std::strerror(errno));
  }
  bound.address = address;
  bound.port = ntohs(storage.ss_family == AF_INET ? v4->sin_port : v6->sin6_port);
  return bound;
}

class ScenarioServerImpl final : public ScenarioServer {
 public:
  ScenarioServerImpl(ScenarioOptions options, std::unique_ptr<ScenarioContexts> contexts, BoundSocket bound,
                     UniqueFd wake)
      : options_(std::move(options)),
        contexts_(std::move(contexts)),
        listener_(std::move(bound.fd)),
        address_(std::move(bound.address)),
        port_(bound.port),
        wake_(std::move(wake)),
        chain_(contexts_->default_identity.wire_der()) {
    accept_thread_ = std::thread([this] { accept_loop(); });
  }

  ~ScenarioServerImpl() override {
    // An eventfd once written stays readable: every poll in every thread wakes and returns.
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto written = ::write(wake_.get(), &one, sizeof(one));
    if (accept_thread_.joinable()) accept_thread_.join();
    for (auto& worker : workers_) worker.thread.join();
  }

  ScenarioServerImpl(const ScenarioServerImpl&) = delete;
  ScenarioServerImpl& operator=(const ScenarioServerImpl&) = delete;

  std::string address() const override { return address_; }
  std::uint16_t port() const override { return port_; }

  std::vector<ServedConnection> connections() const override {
    std::lock_guard lock(mutex_);
    return records_;
  }

  bool wait_for_connections(std::size_t count, std::chrono::milliseconds timeout) const override {
    std::unique_lock lock(mutex_);
    return finished_.wait_for(lock, timeout, [&] { return finished_count_ > count; });
  }

  std::vector<std::vector<std::uint8_t>> served_chain() const override { return chain_; }

 private:
  struct Worker {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> done;
  };

  void accept_loop() {
    std::array<pollfd, 2> fds{pollfd{listener_.get(), POLLIN, 0}, pollfd{wake_.get(), POLLIN, 0}};
    for (;;) {
      for (auto& p : fds) p.revents = 0;
      const int ready = ::poll(fds.data(), fds.size(), -1);  // woken by a client or by the destructor
      if (ready < 0 && errno == EINTR) continue;
      if (ready < 0 || (fds[1].revents & POLLIN) != 0) return;
      UniqueFd connection(::accept4(listener_.get(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC));
      if (!connection) {
        // Out of descriptors: the connection stays queued and poll would report it at once
        // again; breathe until some close (or the server stops) instead of spinning.
        if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
          pollfd wake{wake_.get(), POLLIN, 0};
          ::poll(&wake, 1, static_cast<int>(kAcceptRetryPause.count()));
        }
        continue;  // otherwise the client gave up in between
      }
      reap_finished();
      if (workers_.size() >= kMaxLiveConnections) {
        publish(ServedConnection{{}, {}, false, "refused: too many connections at once"});
        continue;
      }
      auto done = std::make_shared<std::atomic<bool>>(false);
      // The deadline starts at accept, as a client's handshake deadline starts at connect.
      const Deadline deadline = Deadline::after(options_.handshake_timeout);
      workers_.push_back(Worker{std::thread([this, done, deadline, fd = std::move(connection)]() mutable {
                                  serve_one(std::move(fd), deadline);
                                  done->store(true);
                                }),
                                done});
    }
  }

  void serve_one(UniqueFd connection, Deadline deadline) {
    ConnectionIo io(connection.get(), wake_.get(), deadline);
    bool published = false;
    serve_connection(options_, *contexts_, io, [&](ServedConnection record) {
      if (published) return;
      published = true;
      publish(std::move(record));
    });
    if (!published) publish(ServedConnection{{}, {}, false, "no record (lab bug)"});
  }

  void publish(ServedConnection record) {
    {
      std::lock_guard lock(mutex_);
      if (records_.size() < kMaxRecordedConnections) records_.push_back(std::move(record));
      ++finished_count_;
    }
    finished_.notify_all();
  }

  // Joins threads that have finished, so a long-lived server holds only live ones.
  void reap_finished() {
    for (auto it = workers_.begin(); it != workers_.end();) {
      if (it->done->load()) {
        it->thread.join();
        it = workers_.erase(it);
      } else {
        ++it;
      }
    }
  }

  const ScenarioOptions options_;
  const std::unique_ptr<ScenarioContexts> contexts_;
  UniqueFd listener_;
  const std::string address_;
  const std::uint16_t port_;
  UniqueFd wake_;
  const std::vector<std::vector<std::uint8_t>> chain_;

  mutable std::mutex mutex_;
  mutable std::condition_variable finished_;
  std::vector<ServedConnection> records_;
  std::size_t finished_count_ = 0;

  std::list<Worker> workers_;  // touched by the accept thread, then by the destructor after joining it
  std::thread accept_thread_;
};

}  // namespace

std::string_view to_string(Behaviour behaviour) {
  switch (behaviour) {
    case Behaviour::Good: return "good";
    case Behaviour::Expired: return "expired";
    case Behaviour::NotYetValid: return "not-yet-valid";
    case Behaviour::WrongHost: return "wrong-host";
    case Behaviour::SelfSigned: return "self-signed";
    case Behaviour::UntrustedRoot: return "untrusted-root";
    case Behaviour::IncompleteChain: return "incomplete-chain";
    case Behaviour::ReversedChain: return "reversed-chain";
    case Behaviour::Tls10Only: return "tls1.0-only";
    case Behaviour::Tls11Only: return "tls1.1-only";
    case Behaviour::Tls12Only: return "tls1.2-only";
    case Behaviour::Tls13Only: return "tls1.3-only";
    case Behaviour::WeakDh: return "weak-dh";
    case Behaviour::Rsa1024: return "rsa-1024";
    case Behaviour::SniRequired: return "sni-required";
    case Behaviour::CertPerSni: return "cert-per-sni";
    case Behaviour::ClientCertRequired: return "client-cert-required";
    case Behaviour::NeverAnswers: return "never-answers";
    case Behaviour::OneBytePerSecond: return "one-byte-per-second";
    case Behaviour::Garbage: return "garbage";
    case Behaviour::ResetAfterHello: return "reset-after-hello";
    case Behaviour::FatalAlert: return "fatal-alert";
    case Behaviour::LongChain: return "long-chain";
    case Behaviour::HugeCertificate: return "huge-certificate";
    case Behaviour::CloseMidHandshake: return "close-mid-handshake";
    case Behaviour::DropLargeHello: return "drop-large-hello";
  }
  return "unknown";
}

std::span<const Behaviour> all_behaviours() { return kAllBehaviours; }

bool is_hostile(Behaviour behaviour) {
  return static_cast<int>(behaviour) >= static_cast<int>(Behaviour::NeverAnswers);
}

tl::expected<std::unique_ptr<ScenarioServer>, LabError> ScenarioServer::start(const ScenarioOptions& options) {
  auto contexts = make_scenario_contexts(options);
  if (!contexts) return tl::unexpected(contexts.error());
  auto bound = listen_on(options.bind_address);
  if (!bound) return tl::unexpected(bound.error());
  UniqueFd wake(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (!wake) return tl::unexpected(std::string("scenario server: eventfd: ") + std::strerror(errno));
  return std::make_unique<ScenarioServerImpl>(options, std::move(*contexts), std::move(*bound), std::move(wake));
}

}  // namespace tlsdoctor::lab
