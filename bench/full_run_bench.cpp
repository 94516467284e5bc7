// Full-run benchmark: every check plus one target, against a loopback lab site and a loopback reference, beside `openssl s_client`.
//
// The tlsdoctor binary is run as a user runs it (a process that starts, checks this machine,
// asks the reference for its time, echo and observation, handshakes with the target and its
// reference, writes the JSON report and exits). One `openssl s_client` handshake with the same
// lab site is the unit. Prints the median wall time of several rounds, the ratio (issue 5's
// target: under 3x) and tlsdoctor's peak RSS (from wait4); beside them `openssl verify` against
// the system bundle (what reading the trust store costs OpenSSL itself), `tlsdoctor --version`
// (what starting the process costs before any check), and each check run alone. `--serve` only
// starts the site and the reference and prints the command line.
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <openssl/x509.h>

#include "lab/scenario_pki.h"
#include "lab/scenario_server.h"
#include "lab/subprocess.h"
#include "lab/temp_tree.h"
#include "reference/protocol/signing.h"
#include "reference/server/address_policy.h"
#include "reference/server/observe_target.h"
#include "reference/server/reference_server.h"

using namespace tlsdoctor;
using Clock = std::chrono::steady_clock;

namespace {

// Rounds per measurement: enough for a stable median on a shared 2-core machine.
constexpr int kRounds = 9;

struct Run {
  double wall_ms = 0;
  double cpu_ms = 0;  // user + system
  long max_rss_kb = 0;
  int exit_code = -1;
};

// fork/exec with stdout and stderr to /dev/null; wall time and the child's peak RSS.
Run run_measured(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const auto start = Clock::now();
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int null = ::open("/dev/null", O_RDWR);
    ::dup2(null, 0);
    ::dup2(null, 1);
    ::dup2(null, 2);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  int status = 0;
  rusage usage{};
  ::wait4(pid, &status, 0, &usage);
  Run run;
  run.wall_ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  run.max_rss_kb = usage.ru_maxrss;
  const auto ms = [](const timeval& t) { return static_cast<double>(t.tv_sec) * 1000.0 + static_cast<double>(t.tv_usec) / 1000.0; };
  run.cpu_ms = ms(usage.ru_utime) + ms(usage.ru_stime);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return run;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  // --serve: start the site and the reference, print the command line of a full run, and keep
  // serving until stdin ends, so the run can be profiled by hand (perf, valgrind).
  const bool serve_only = argc > 1 && std::string(argv[1]) == "--serve";
  const auto openssl = lab::find_on_path("openssl");
  if (!openssl) {
    std::fprintf(stderr, "bench: the openssl command is needed for the comparison\n");
    return 1;
  }
  auto dir = lab::TempTree::create("tlsdoctor-bench-full-");
  if (!dir) return 1;
  const auto ca_file = (dir->path() / "root.pem").string();
  if (!lab::write_pem_bundle(ca_file, {&lab::lab_pki().root})) return 1;

  auto site = lab::ScenarioServer::start(lab::ScenarioOptions{});
  if (!site) return 1;
  const auto site_port = (*site)->port();

  // The loopback reference: the lab's certificate, observe allowed for the site on loopback.
  const auto key = reference::SigningKey::generate();
  if (!key) return 1;
  reference::ObserveSettings observing;
  observing.vetting.addresses.allow.push_back(reference::parse_cidr("127.0.0.0/8").value());
  observing.vetting.ports = {site_port};
  observing.trust = tls::TrustSpec::from_anchors({lab::lab_pki().root_der()});
  // A synchronised clock (50 ms): a loose one would send the checker to the default HTTP Date
  // hosts on the internet as well, which the benchmark must not depend on.
  reference::Router router(
      *key, [&](const reference::ObserveRequest& r) { return reference::observe_target(r, observing); },
      [] { return std::int64_t{50}; });
  auto identity = lab::default_identity(lab::ScenarioOptions{});
  if (!identity) return 1;
  reference::ServerSettings settings;
  settings.listen = {"127.0.0.1:0"};
  settings.identity.chain_pem = identity->certificate.cert_pem();
  for (const auto& cert : identity->chain) settings.identity.chain_pem += cert.cert_pem();
  settings.identity.key_pem = identity->certificate.key_pem();
  auto reference_server = reference::ReferenceServer::start(settings, router);
  if (!reference_server) {
    std::fprintf(stderr, "bench: cannot start the reference: %s\n", reference_server.error().message.c_str());
    return 1;
  }
  const auto ref_port = (*reference_server)->ports().front();
  const std::string name = lab::kLabHostName;

  const std::vector<std::string> tlsdoctor{
      lab::tlsdoctor_binary(), "-f", "json", "-o", (dir->path() / "report.json").string(), "--no-proxy",
      fmt::format("https://{}:{}", name, site_port), "--ca-file", ca_file,
      "--resolve", fmt::format("{}:{}:127.0.0.1", name, site_port),
      "--reference", fmt::format("https://{}:{}", name, ref_port),
      "--reference-key", reference::public_key_text(key->public_key()),
      "--resolve", fmt::format("{}:{}:127.0.0.1", name, ref_port),
      // The captive page would be asked on port 80 of the reference's host: loopback, closed.
      "--resolve", fmt::format("{}:80:127.0.0.1", name)};
  const std::vector<std::string> s_client{*openssl,      "s_client", "-connect", fmt::format("127.0.0.1:{}", site_port),
                                          "-servername", name,       "-CAfile",  ca_file,
                                          "-verify_return_error", "-brief"};

  if (serve_only) {
    std::string line;
    for (const auto& arg : tlsdoctor) line += "'" + arg + "' ";
    std::printf("%s\n", line.c_str());
    std::fflush(stdout);
    while (std::fgetc(stdin) != EOF) {
    }
    return 0;
  }
  // What reading the system trust store costs OpenSSL itself, a floor under any run that
  // inspects it: `openssl verify` of the bundle's first root against the whole bundle (the file
  // every OpenSSL client loads by default).
  const std::string bundle = X509_get_default_cert_file();
  const auto first_root = (dir->path() / "first-root.pem").string();
  {
    std::ifstream in(bundle);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto end = text.find("-----END CERTIFICATE-----");
    const auto begin = text.rfind("-----BEGIN CERTIFICATE-----", end);
    if (end == std::string::npos || begin == std::string::npos) {
      std::fprintf(stderr, "bench: no certificate in %s\n", bundle.c_str());
      return 1;
    }
    std::ofstream(first_root) << text.substr(begin, end - begin) << "-----END CERTIFICATE-----\n";
  }
  const std::vector<std::string> verify_bundle{*openssl, "verify", "-CAfile", bundle, first_root};
  // What starting and ending the process costs before any check: the dynamic loader maps and
  // relocates tlsdoctor's libraries (libcurl's dependencies are most of them).
  const std::vector<std::string> version_only{lab::tlsdoctor_binary(), "--version"};

  // Warm-up: page cache, lazy initialisation in the servers.
  (void)run_measured(tlsdoctor);
  (void)run_measured(s_client);
  (void)run_measured(verify_bundle);
  (void)run_measured(version_only);
  std::vector<double> ours, theirs, ours_cpu, theirs_cpu, floor_wall, start_wall;
  long rss_max = 0;
  int last_exit = 0;
  for (int i = 0; i < kRounds; ++i) {
    const auto a = run_measured(tlsdoctor);
    const auto b = run_measured(s_client);
    floor_wall.push_back(run_measured(verify_bundle).wall_ms);
    start_wall.push_back(run_measured(version_only).wall_ms);
    ours.push_back(a.wall_ms);
    theirs.push_back(b.wall_ms);
    ours_cpu.push_back(a.cpu_ms);
    theirs_cpu.push_back(b.cpu_ms);
    rss_max = std::max(rss_max, a.max_rss_kb);
    last_exit = a.exit_code;
  }
  const double ours_ms = median(ours);
  const double theirs_ms = median(theirs);
  std::printf("tlsdoctor full run (every check + 1 target, loopback reference) vs openssl s_client\n");
  std::printf("(median of %d alternating rounds, wall ms)\n\n", kRounds);
  std::printf("%-56s %10s %12s\n", "measurement", "ms", "vs s_client");
  std::printf("%-56s %10.1f %12s\n", "openssl s_client, one handshake (process)", theirs_ms, "1.00x");
  std::printf("%-56s %10.1f %11.2fx\n", "tlsdoctor, every check + 1 target + reference (process)", ours_ms,
              ours_ms / theirs_ms);
  std::printf("%-56s %10.1f %11.2fx\n", "openssl verify against the system bundle (process)", median(floor_wall),
              median(floor_wall) / theirs_ms);
  std::printf("%-56s %10.1f %11.2fx\n", "tlsdoctor --version: process start and exit (process)", median(start_wall),
              median(start_wall) / theirs_ms);
  std::printf("%-56s %10.1f %11.2fx\n", "  CPU (user+system) of s_client", median(theirs_cpu), 1.0);
  std::printf("%-56s %10.1f %11.2fx\n", "  CPU (user+system) of tlsdoctor", median(ours_cpu),
              median(ours_cpu) / median(theirs_cpu));
  std::printf("\ntlsdoctor peak RSS (max over rounds): %.1f MB; exit code of the last run: %d\n",
              static_cast<double>(rss_max) / 1024.0, last_exit);
  std::printf("target: under 3x one s_client handshake\n");
  // What the measured run did: each check's status and summary from its last report.
  std::ifstream in(dir->path() / "report.json");
  nlohmann::json report;
  try {
    in >> report;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench: the last report does not parse: %s\n", e.what());
    return 1;
  }
  std::printf("\nthe last run's checks (they run concurrently; the run took %lld ms inside the process):\n",
              static_cast<long long>(report["run"].value("duration_ms", 0)));
  for (const auto& check : report["checks"]) {
    std::printf("  %-16s %-5s %5lld ms  %s\n", check.value("id", "").c_str(), check.value("status", "").c_str(),
                static_cast<long long>(check.value("duration_ms", 0)), check.value("summary", "").c_str());
  }
  const auto& chosen = report["checks"][0]["facts"]["time_sources"]["chosen"];
  std::printf("  clock's trusted time: %s\n", chosen.is_string() ? chosen.get<std::string>().c_str() : "none");
  std::printf("  verdict: %s\n", report["verdict"].value("layer", "").c_str());

  // Where the time goes: each check run alone (--only), the process's start and report included.
  std::printf("\neach check alone (--only ID; median of %d rounds):\n", kRounds);
  std::printf("  %-16s %10s %10s\n", "check", "wall ms", "CPU ms");
  for (const auto& check : report["checks"]) {
    auto alone = tlsdoctor;
    alone.insert(alone.begin() + 1, {"--only", check.value("id", "")});
    std::vector<double> wall, cpu;
    for (int i = 0; i < kRounds; ++i) {
      const auto run = run_measured(alone);
      wall.push_back(run.wall_ms);
      cpu.push_back(run.cpu_ms);
    }
    std::printf("  %-16s %10.1f %10.1f\n", check.value("id", "").c_str(), median(wall), median(cpu));
  }
  return last_exit == 0 ? 0 : 1;
}
