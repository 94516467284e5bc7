// The scenario runner: workspace, reference, the tlsdoctor command line, and the verdict compared with the table.
#include "scenarios/scenario_runner.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "lab/cert_factory.h"
#include "lab/date_server.h"
#include "lab/loopback_port.h"
#include "lab/reference_process.h"
#include "lab/scenario_server.h"
#include "lab/subprocess.h"
#include "lab/temp_tree.h"

namespace tlsdoctor::scenarios {
namespace {

// tlsdoctor's own deadline in a scenario: a fault must be found well within it.
constexpr int kRunTimeoutSeconds = 20;
// The process is killed if it outlives its own deadline by this much (a hang is a failure).
constexpr std::chrono::seconds kProcessTimeout{45};

// Variables of the test's environment that would change what tlsdoctor sees.
constexpr const char* kClearedVariables[] = {"http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy",
                                             "ALL_PROXY", "no_proxy", "NO_PROXY", "SSL_CERT_FILE", "SSL_CERT_DIR",
                                             "OPENSSL_CONF", "TZ"};

// POSIX shell quoting: the printed command can be pasted as it is.
std::string shell_word(const std::string& word) {
  if (!word.empty() && word.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./:=,@+") ==
                           std::string::npos) {
    return word;
  }
  std::string out = "'";
  for (const char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string quoted(const std::vector<std::string>& argv) {
  std::string out;
  for (const auto& a : argv) out += (out.empty() ? "" : " ") + shell_word(a);
  return out;
}

Result failed(std::string got, std::string details = "") { return Result{Outcome::Failed, std::move(got), std::move(details), 0}; }

}  // namespace

std::string lab_url(std::uint16_t port) { return "https://" + std::string(lab::kLabHostName) + ":" + std::to_string(port); }
std::string lab_resolve(std::uint16_t port, const std::string& address) {
  return std::string(lab::kLabHostName) + ":" + std::to_string(port) + ":" + address;
}

std::string describe(const Expected& e) {
  return fmt::format("{} / {} / exit {}{}", e.layer, e.cause.empty() ? "-" : e.cause, e.exit_code,
                     e.also.empty() ? "" : " + " + e.also);
}

std::vector<Scenario> all_scenarios() {
  std::vector<Scenario> out;
  for (auto group : {server_scenarios(), local_scenarios(), proxy_scenarios(), path_scenarios(), network_scenarios()}) {
    for (auto& s : group) out.push_back(std::move(s));
  }
  return out;
}

Result run_scenario(const Scenario& scenario) {
  for (const auto& program : scenario.needs) {
    if (program == "root" ? ::geteuid() == 0 : lab::find_on_path(program).has_value()) continue;
    const std::string why = program == "root" ? "network namespaces need root" : program + " is not installed";
    return lab::lab_required() ? failed(why + " (required by TLSDOCTOR_REQUIRE_LAB)")
                               : Result{Outcome::Skipped, why, "", 0};
  }
  auto dir = lab::TempTree::create("tlsdoctor-scenario-" + scenario.name + "-");
  if (!dir) return failed("workspace: " + dir.error());
  Workspace workspace{dir->path(), dir->path() / "lab-root.pem", lab::unused_loopback_port()};
  if (!lab::write_pem_bundle(workspace.lab_root, {&lab::lab_pki().root})) return failed("cannot write the lab root");

  auto staged = scenario.stage(workspace);
  if (!staged) return failed("setup: " + staged.error());

  lab::ReferenceProcessOptions reference_options;
  reference_options.port = workspace.reference_port;
  reference_options.address = staged->address;
  reference_options.captive = true;
  // The reference states a synchronised clock: it runs on this machine, whose kernel may not
  // know how its clock is kept, and the clock scenarios need a time to believe.
  reference_options.extra_args = {"--allow-cidr", "127.0.0.0/8", "--allow-cidr", staged->address + "/32",
                                  "--ca-file", workspace.lab_root.string(), "--clock-uncertainty-ms", "50"};
  for (const auto port : staged->observe_ports) {
    reference_options.extra_args.insert(reference_options.extra_args.end(), {"--observe-port", std::to_string(port)});
  }
  auto reference = lab::start_reference_process(reference_options);
  if (!reference) return failed("reference: " + reference.error());

  std::vector<std::string> argv = staged->prefix;
  argv.insert(argv.end(), {lab::tlsdoctor_binary(), "-f", "json", "--timeout", std::to_string(kRunTimeoutSeconds),
                           "--reference-key", reference->public_key.string(), "--captive-url",
                           reference->captive_url()});
  if (staged->reference_by_address) {
    argv.insert(argv.end(), {"--reference", "https://" + staged->address + ":" + std::to_string(reference->port)});
  } else {
    argv.insert(argv.end(),
                {"--reference", reference->url(), "--resolve", lab_resolve(reference->port, staged->address)});
  }
  if (staged->trust_lab_root) argv.insert(argv.end(), {"--ca-file", workspace.lab_root.string()});
  // Date hosts in the lab, so that a run whose reference gives no time never asks the internet's.
  auto time_hosts = lab::SkewedTimeHosts::start(std::chrono::seconds(0), workspace.lab_root.string());
  if (!time_hosts) return failed("time hosts: " + time_hosts.error());
  for (const auto& url : time_hosts->urls()) argv.insert(argv.end(), {"--time-source", url});
  for (const auto& entry : time_hosts->resolve_entries()) argv.insert(argv.end(), {"--resolve", entry});
  if (std::find(staged->args.begin(), staged->args.end(), "--policy") == staged->args.end()) argv.push_back("--no-policy");
  argv.insert(argv.end(), staged->args.begin(), staged->args.end());

  lab::ProcessOptions options;
  options.timeout = kProcessTimeout;
  for (const char* name : kClearedVariables) options.env[name] = std::nullopt;
  for (const auto& [name, value] : staged->env) options.env[name] = value;

  const auto started = std::chrono::steady_clock::now();
  const auto run = lab::run_process(argv, options);
  Result result;
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  std::string details = "command: " + quoted(argv) + "\nenvironment:";
  for (const auto& [name, value] : staged->env) details += " " + name + "=" + (value ? shell_word(*value) : "(unset)");
  details += "\n--- tlsdoctor stdout (the report) ---\n" + run.out + "\n--- tlsdoctor stderr ---\n" + run.err;
  for (const auto& [name, logs] : staged->logs) details += "\n--- " + name + " ---\n" + logs();
  details += "\n--- tlsdoctor-reference ---\n" + reference->process->stderr_so_far();

  if (run.timed_out) return Result{Outcome::Failed, "timed out", details, result.seconds};
  const auto report = nlohmann::json::parse(run.out, nullptr, false);
  if (report.is_discarded() || !report.contains("verdict")) {
    return Result{Outcome::Failed, fmt::format("no report (exit {})", run.exit_code), details, result.seconds};
  }
  const auto& verdict = report["verdict"];
  const Expected got(verdict.value("layer", "?"), verdict["cause"].is_string() ? verdict["cause"].get<std::string>() : "",
                     run.exit_code);
  result.got = describe(got);
  const bool same = got.layer == scenario.expected.layer && got.cause == scenario.expected.cause &&
                    got.exit_code == scenario.expected.exit_code;
  // A healthy scenario must not have a single failing finding anywhere; `also` must be found.
  bool fail_finding = false;
  bool also_found = false;
  for (const auto& check : report["checks"]) {
    for (const auto& finding : check["findings"]) {
      fail_finding = fail_finding || finding["severity"] == "fail";
      also_found = also_found || finding["id"] == scenario.expected.also;
    }
  }
  if (also_found) result.got += " + " + scenario.expected.also;
  result.outcome = same ? Outcome::Passed : Outcome::Failed;
  if (same && scenario.expected.layer == "none" && fail_finding) {
    result.got += " (but a fail finding)";
    result.outcome = Outcome::Failed;
  }
  if (!scenario.expected.also.empty() && !also_found) result.outcome = Outcome::Failed;
  if (result.outcome == Outcome::Failed) result.details = std::move(details);
  return result;
}

}  // namespace tlsdoctor::scenarios
