// Creates and deletes lab network namespaces with `ip`, and applies iptables rules inside them.
#include "lab/network_namespace.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <sstream>

#include <fmt/format.h>

#include "lab/subprocess.h"

namespace tlsdoctor::lab {
namespace {

// Addresses come from 198.51.100.0/24 (TEST-NET-2, documentation space, as DESIGN.md asks of lab
// namespaces), a /30 per namespace: 64 of them. The scenario suite runs alone and one namespace
// at a time, so the spread by pid only matters if two suites ever run at once.
constexpr int kSubnets = 64;
constexpr int kMaxNamespacesPerProcess = 16000;

std::atomic<int> next_index{0};

tl::expected<void, std::string> ip(const std::vector<std::string>& args) {
  std::vector<std::string> argv{"ip"};
  argv.insert(argv.end(), args.begin(), args.end());
  const auto r = run_process(argv);
  if (r.exit_code != 0) return tl::unexpected(fmt::format("ip {}: {}", fmt::join(args, " "), r.err));
  return {};
}

}  // namespace

tl::expected<std::unique_ptr<NetworkNamespace>, std::string> NetworkNamespace::create() {
  if (!find_on_path("ip")) return tl::unexpected(std::string("ip (iproute2) is not installed"));
  if (!find_on_path("iptables")) return tl::unexpected(std::string("iptables is not installed"));
  const int index = next_index++ % kMaxNamespacesPerProcess;
  // Names are unique per process and per namespace: parallel test processes never collide.
  const std::string name = fmt::format("tdlab{}n{}", ::getpid(), index);
  const std::string host_end = fmt::format("tdh{}n{}", ::getpid() % 100000, index);
  const std::string inside_end = fmt::format("tdi{}n{}", ::getpid() % 100000, index);
  // One /30 per namespace: the pid spreads processes, the index spreads namespaces.
  const int subnet = (::getpid() * 7 + index) % kSubnets;
  const std::string host_address = fmt::format("198.51.100.{}", subnet * 4 + 1);
  const std::string inside_address = fmt::format("198.51.100.{}", subnet * 4 + 2);
  if (auto made = ip({"netns", "add", name}); !made) return tl::unexpected(made.error());
  auto ns = std::make_unique<NetworkNamespace>(name, host_address, inside_address);
  for (const auto& step : std::vector<std::vector<std::string>>{
           {"link", "add", host_end, "type", "veth", "peer", "name", inside_end},
           {"link", "set", inside_end, "netns", name},
           {"addr", "add", host_address + "/30", "dev", host_end},
           {"link", "set", host_end, "up"},
           {"netns", "exec", name, "ip", "addr", "add", inside_address + "/30", "dev", inside_end},
           {"netns", "exec", name, "ip", "link", "set", inside_end, "up"},
           {"netns", "exec", name, "ip", "link", "set", "lo", "up"}}) {
    if (auto done = ip(step); !done) {
      // The namespace goes with `ns`; a host end not yet moved into it would stay behind.
      (void)ip({"link", "delete", host_end});
      return tl::unexpected(done.error());
    }
  }
  return ns;
}

int NetworkNamespace::remove_stale() {
  if (!find_on_path("ip")) return 0;
  const auto listed = run_process({"ip", "netns", "list"});
  int removed = 0;
  std::istringstream lines(listed.out);
  for (std::string line; std::getline(lines, line);) {
    const std::string name = line.substr(0, line.find(' '));
    int pid = 0;
    int index = 0;
    if (std::sscanf(name.c_str(), "tdlab%dn%d", &pid, &index) != 2 || pid <= 0) continue;
    if (::kill(pid, 0) == 0 || errno != ESRCH) continue;  // its process still runs
    if (ip({"netns", "delete", name})) ++removed;
  }
  return removed;
}

NetworkNamespace::~NetworkNamespace() {
  // The host end of the veth pair goes when its peer's namespace is deleted.
  (void)ip({"netns", "delete", name_});
}

tl::expected<void, std::string> NetworkNamespace::iptables(const std::vector<std::string>& args) {
  std::vector<std::string> argv{"ip", "netns", "exec", name_, "iptables"};
  argv.insert(argv.end(), args.begin(), args.end());
  const auto r = run_process(argv);
  if (r.exit_code != 0) return tl::unexpected(fmt::format("iptables {}: {}", fmt::join(args, " "), r.err));
  return {};
}

std::string NetworkNamespace::logs() const {
  const auto filter = run_process({"ip", "netns", "exec", name_, "iptables", "-S"});
  const auto nat = run_process({"ip", "netns", "exec", name_, "iptables", "-t", "nat", "-S"});
  return "namespace " + name_ + " (" + inside_address_ + " -> host " + host_address_ + ")\nfilter:\n" + filter.out +
         "nat:\n" + nat.out;
}

}  // namespace tlsdoctor::lab
