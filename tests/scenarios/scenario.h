// A scenario of the suite: the world it sets up, and the verdict, cause and exit code tlsdoctor must give in it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <tl/expected.hpp>

namespace tlsdoctor::scenarios {

// Debian's bundle of the system's roots, to which a scenario adds a root (an interceptor's, a
// leaked one) for SSL_CERT_FILE.
inline constexpr const char* kSystemBundle = "/etc/ssl/certs/ca-certificates.crt";

// What the verdict must say. `cause` is "" when the verdict names none (healthy).
struct Expected {
  Expected(std::string layer_, std::string cause_, int exit_code_, std::string also_ = "")
      : layer(std::move(layer_)), cause(std::move(cause_)), exit_code(exit_code_), also(std::move(also_)) {}
  std::string layer;  // local, path, server, none
  std::string cause;  // a finding id
  int exit_code = 0;
  std::string also;   // a finding that must be reported besides (a healthy verdict with a warning)
};

// The scenario's own directory and the lab root every lab certificate chains to.
struct Workspace {
  std::filesystem::path dir;
  std::filesystem::path lab_root;    // PEM
  std::uint16_t reference_port = 0;  // the port the reference will listen on (started after staging)
};

// What a scenario's setup hands the runner.
struct Staged {
  std::vector<std::string> args;  // targets and options after the common ones
  std::map<std::string, std::optional<std::string>> env;  // set for tlsdoctor (nullopt: unset)
  std::vector<std::string> prefix;                         // a program tlsdoctor runs under (faketime)
  std::vector<std::uint16_t> observe_ports;                // ports the reference may observe on 127.0.0.1
  bool trust_lab_root = true;       // --ca-file the lab root for targets (else the system store)
  std::string address = "127.0.0.1";  // where its servers and the reference listen (a namespace's host end)
  bool reference_by_address = false;  // address the reference as 127.0.0.1 (a proxy resolves names itself)
  // Logs of the components it started, shown when the scenario fails.
  std::vector<std::pair<std::string, std::function<std::string()>>> logs;
  std::vector<std::shared_ptr<void>> keep;  // components that must live until tlsdoctor has run
};

struct Scenario {
  std::string name;       // kebab-case, what --only takes
  std::string situation;  // one line for docs/scenarios.md
  Expected expected;
  // Outside programs, and "root" for network namespaces; missing ones skip the scenario, or fail
  // it under TLSDOCTOR_REQUIRE_LAB.
  std::vector<std::string> needs;
  std::function<tl::expected<Staged, std::string>(const Workspace&)> stage;
};

// The groups, one file each.
std::vector<Scenario> server_scenarios();
std::vector<Scenario> local_scenarios();
std::vector<Scenario> proxy_scenarios();
std::vector<Scenario> path_scenarios();
std::vector<Scenario> network_scenarios();

// "https://lab.tlsdoctor.test:PORT" and the --resolve entry that sends that name to `address`.
std::string lab_url(std::uint16_t port);
std::string lab_resolve(std::uint16_t port, const std::string& address = "127.0.0.1");

// A component kept alive in `staged`, with its logs shown on failure.
template <typename T>
T& keep(Staged& staged, std::unique_ptr<T> component, std::string name) {
  std::shared_ptr<T> shared = std::move(component);
  T& ref = *shared;
  staged.logs.emplace_back(std::move(name), [shared] { return shared->logs(); });
  staged.keep.push_back(shared);
  return ref;
}

}  // namespace tlsdoctor::scenarios
