// Probe engine benchmark: lab scenarios probed concurrently, and 100 concurrent probes, beside `openssl s_client`.
//
// Prints a table of median wall times over several rounds and the ratios the issue sets targets
// for (both under 3x one s_client handshake). s_client is timed as a user runs it: a process
// that starts, handshakes once with one lab server, and exits. Bare OpenSSL making the same 100
// handshakes (bare_client.cpp, nothing recorded) is what the engine is measured against too: on
// loopback the handshakes are CPU-bound, so OpenSSL's own cost for them sets the floor.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "bare_client.h"
#include "lab/scenario_server.h"
#include "lab/subprocess.h"
#include "lab/temp_tree.h"
#include "tls/probe.h"

using namespace tlsdoctor;
using Clock = std::chrono::steady_clock;

namespace {

// Rounds per measurement: enough for a stable median on a shared 2-core machine.
constexpr int kRounds = 9;
constexpr std::size_t kConcurrentProbes = 100;

// The certificate and version scenarios (the hostile ones measure deadlines, not speed).
const std::vector<lab::Behaviour> kScenarios{
    lab::Behaviour::Good,          lab::Behaviour::Expired,         lab::Behaviour::NotYetValid,
    lab::Behaviour::WrongHost,     lab::Behaviour::SelfSigned,      lab::Behaviour::UntrustedRoot,
    lab::Behaviour::IncompleteChain, lab::Behaviour::ReversedChain, lab::Behaviour::Tls10Only,
    lab::Behaviour::Tls11Only,     lab::Behaviour::Tls12Only,       lab::Behaviour::Tls13Only,
    lab::Behaviour::Rsa1024,       lab::Behaviour::SniRequired,
};

// User and system CPU time this process has used so far, in milliseconds.
double cpu_ms() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto ms = [](const timeval& t) { return static_cast<double>(t.tv_sec) * 1000.0 + static_cast<double>(t.tv_usec) / 1000.0; };
  return ms(usage.ru_utime) + ms(usage.ru_stime);
}

double median(std::vector<double> samples) {
  std::sort(samples.begin(), samples.end());
  return samples[samples.size() / 2];
}

template <typename F>
double median_ms(F&& body) {
  std::vector<double> samples;
  for (int i = 0; i < kRounds; ++i) {
    const auto start = Clock::now();
    body();
    samples.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
  }
  return median(samples);
}

tls::ProbeSpec spec_for(const lab::ScenarioServer& server) {
  tls::ProbeSpec spec;
  spec.host = lab::kLabHostName;
  spec.port = server.port();
  spec.addresses = {server.address()};
  spec.trust = tls::TrustSpec::from_anchors({lab::lab_pki().root_der()});
  return spec;
}

}  // namespace

int main() {
  std::vector<std::unique_ptr<lab::ScenarioServer>> servers;
  for (const auto behaviour : kScenarios) {
    lab::ScenarioOptions options;
    options.behaviour = behaviour;
    auto server = lab::ScenarioServer::start(options);
    if (!server) {
      std::fprintf(stderr, "bench: cannot start %s: %s\n", std::string(lab::to_string(behaviour)).c_str(),
                   server.error().c_str());
      return 1;
    }
    servers.push_back(std::move(*server));
  }
  std::vector<tls::ProbeSpec> scenario_specs;
  for (const auto& server : servers) scenario_specs.push_back(spec_for(*server));
  const std::vector<tls::ProbeSpec> same_specs(kConcurrentProbes, spec_for(*servers.front()));

  const auto openssl = lab::find_on_path("openssl");
  if (!openssl) {
    std::fprintf(stderr, "bench: the openssl command is needed for the comparison\n");
    return 1;
  }
  auto dir = lab::TempTree::create("tlsdoctor-bench-");
  if (!dir) return 1;
  const auto ca_file = dir->path() / "root.pem";
  if (!lab::write_pem_bundle(ca_file, {&lab::lab_pki().root})) return 1;
  const std::vector<std::string> s_client{
      *openssl, "s_client", "-connect", fmt::format("127.0.0.1:{}", servers.front()->port()),
      "-servername", lab::kLabHostName, "-CAfile", ca_file.string(), "-verify_return_error", "-brief"};

  lab::ProcessOptions s_client_options;
  s_client_options.timeout = std::chrono::seconds(10);
  const auto deadline = [] { return Deadline::after(std::chrono::seconds(30)); };
  // Warm-up: first handshakes pay for lazy initialisation in OpenSSL and the lab.
  (void)tls::run_probes(scenario_specs, deadline());
  (void)lab::run_process(s_client, s_client_options);

  const double one_s_client = median_ms([&] { (void)lab::run_process(s_client, s_client_options); });
  const double one_probe = median_ms([&] { (void)tls::run_probe(scenario_specs.front(), deadline()); });
  std::size_t failed_good = 0;
  const double scenarios = median_ms([&] {
    const auto results = tls::run_probes(scenario_specs, deadline());
    failed_good += results.front().failure == tls::Failure::None ? 0 : 1;
  });
  // The floor: the same 100 handshakes by bare OpenSSL, as many at once as run_probes makes,
  // nothing recorded.
  const auto bare_threads = static_cast<unsigned>(std::min(kConcurrentProbes, tls::kMaxParallelProbes));
  std::size_t failed_bare = 0;
  const double bare_cpu_before = cpu_ms();
  const double bare = median_ms([&] {
    failed_bare += kConcurrentProbes - bench::bare_handshakes(*servers.front(), kConcurrentProbes, bare_threads);
  });
  const double bare_cpu_per_handshake = (cpu_ms() - bare_cpu_before) / (kRounds * static_cast<double>(kConcurrentProbes));
  std::size_t failed_same = 0;
  const double cpu_before = cpu_ms();
  const double hundred = median_ms([&] {
    for (const auto& h : tls::run_probes(same_specs, deadline())) failed_same += h.failure == tls::Failure::None ? 0 : 1;
  });
  // Client and lab server share this process: CPU per handshake covers both ends.
  const double cpu_per_handshake = (cpu_ms() - cpu_before) / (kRounds * static_cast<double>(kConcurrentProbes));
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);

  std::printf("tlsdoctor probe engine vs openssl s_client (median of %d rounds, wall ms)\n\n", kRounds);
  std::printf("%-52s %10s %10s\n", "measurement", "ms", "vs s_client");
  std::printf("%-52s %10.1f %10s\n", "openssl s_client, one handshake (process)", one_s_client, "1.00x");
  std::printf("%-52s %10.1f %9.2fx\n", "run_probe, one handshake (in process)", one_probe, one_probe / one_s_client);
  std::printf("%-52s %10.1f %9.2fx\n", fmt::format("run_probes, {} scenario servers at once", scenario_specs.size()).c_str(),
              scenarios, scenarios / one_s_client);
  std::printf("%-52s %10.1f %9.2fx\n", fmt::format("run_probes, {} probes to one server at once", kConcurrentProbes).c_str(),
              hundred, hundred / one_s_client);
  std::printf("%-52s %10.1f %9.2fx\n",
              fmt::format("bare OpenSSL, the same {} handshakes, {} threads", kConcurrentProbes, bare_threads).c_str(), bare,
              bare / one_s_client);
  std::printf("\nrun_probes / bare OpenSSL for the %zu handshakes: %.2fx\n", kConcurrentProbes, hundred / bare);
  std::printf("CPU per handshake, client and lab server together: run_probes %.2f ms, bare OpenSSL %.2f ms\n",
              cpu_per_handshake, bare_cpu_per_handshake);
  std::printf("peak RSS of this process (servers included): %.1f MB\n", static_cast<double>(usage.ru_maxrss) / 1024.0);
  std::printf("targets: scenarios under 3x, 100 probes under 3x one s_client handshake\n");
  if (failed_good != 0 || failed_same != 0 || failed_bare != 0) {
    std::printf("warning: %zu handshakes with the good server failed; the numbers above are not comparable\n",
                failed_good + failed_same + failed_bare);
    return 1;
  }
  return 0;
}
