// The probe engine: one probe through DNS, TCP or proxy, and TLS; many probes on a bounded pool of threads.
#include "tls/probe.h"

#include <algorithm>
#include <atomic>
#include <functional>
#include <optional>

#include <openssl/err.h>

#include "tls/client_context.h"
#include "tls/dns.h"
#include "tls/handshake_io.h"
#include "tls/probe_tls.h"
#include "tls/proxy_tunnel.h"
#include "tls/tcp_connect.h"
#include "tls/worker_threads.h"

namespace tlsdoctor::tls {
namespace {

using Clock = std::chrono::steady_clock;

std::chrono::milliseconds since(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
}

void stop(Handshake& handshake, ProbeStage stage, Failure failure, std::string detail) {
  handshake.stage = stage;
  handshake.failure = failure;
  handshake.detail = std::move(detail);
}

// Direct route: DNS here, then TCP to the first address that answers. Returns the socket, or
// nothing with the record's failure set.
std::optional<UniqueFd> open_direct(Handshake& handshake, const Deadline& overall) {
  const ProbeSpec& spec = handshake.spec;
  auto resolution = resolve_host(spec.host, spec.port, spec.addresses, overall.sub(spec.dns_timeout));
  handshake.dns = std::move(resolution.observation);
  handshake.timings.dns = handshake.dns.elapsed;
  if (resolution.failure != Failure::None) {
    stop(handshake, ProbeStage::Dns, resolution.failure, std::move(resolution.detail));
    return std::nullopt;
  }
  const auto started = Clock::now();
  auto tcp = connect_first(resolution.addresses, overall.sub(spec.connect_timeout));
  handshake.timings.connect = since(started);
  handshake.connects = std::move(tcp.attempts);
  if (!tcp.fd || !tcp.used) {
    stop(handshake, ProbeStage::Connect, tcp.failure, std::move(tcp.detail));
    return std::nullopt;
  }
  handshake.address = resolution.addresses[*tcp.used].text;
  return std::move(tcp.fd);
}

Handshake probe_once(const ProbeSpec& spec, const Deadline& overall, ClientContextCache* contexts) {
  // A server that hangs up mid-handshake makes OpenSSL's write fail with EPIPE instead of
  // killing the process; per thread, since run_probes gives each probe its own.
  const ScopedSigpipeBlock no_sigpipe;
  const auto started = Clock::now();
  Handshake handshake;
  handshake.spec = spec;

  if (spec.route.kind == RouteSpec::Kind::HttpProxy) {
    // The proxy resolves the target; what it resolved to is not ours to see.
    handshake.dns.source = DnsObservation::Source::Proxy;
    ProxyObservation observation;
    auto tunnel = open_proxy_tunnel(spec.route.proxy_url, spec.host, spec.port, overall.sub(spec.proxy_timeout),
                                    observation);
    handshake.timings.proxy = observation.elapsed;
    handshake.proxy = std::move(observation);
    if (!tunnel) {
      stop(handshake, ProbeStage::Proxy, tunnel.error().failure, std::move(tunnel.error().detail));
    } else {
      // The tunnel (libcurl's connection) owns the socket and outlives the handshake.
      run_tls_stage(handshake, tunnel->fd(), overall.sub(spec.handshake_timeout), contexts);
    }
  } else if (auto socket = open_direct(handshake, overall)) {
    run_tls_stage(handshake, socket->get(), overall.sub(spec.handshake_timeout), contexts);
  }
  handshake.timings.total = since(started);
  // Whatever OpenSSL queued on this thread belongs to this probe and is already in the record.
  ERR_clear_error();
  return handshake;
}

}  // namespace

Handshake run_probe(const ProbeSpec& spec, const Deadline& overall) { return probe_once(spec, overall, nullptr); }

std::vector<Handshake> run_probes(std::span<const ProbeSpec> specs, const Deadline& overall) {
  // One thread per probe, at most kMaxParallelProbes at once, each driving its own non-blocking
  // socket with poll() under its stage deadlines and `overall`. Why threads and not one event
  // loop: OpenSSL's handshake and libcurl's CONNECT are each simplest to bound per probe with a
  // blocking-style loop; key-exchange CPU spreads over the cores; probes are few (tens to ~100),
  // so threads cost little. Workers take the next spec from a shared counter (a simple queue),
  // and every result goes to its spec's slot, so the order is the specs' order.
  std::vector<Handshake> results(specs.size());
  ClientContextCache contexts;  // probes with the same settings share one SSL_CTX
  std::atomic<std::size_t> next{0};
  const std::function<void()> work = [&] {
    for (std::size_t i = next++; i < specs.size(); i = next++) results[i] = probe_once(specs[i], overall, &contexts);
  };
  if (specs.empty()) return results;
  run_on_workers(std::min(specs.size(), kMaxParallelProbes), work);
  return results;
}

}  // namespace tlsdoctor::tls
