// tlsdoctor-reference: `keygen` writes a signing key pair; `serve` runs the reference until SIGTERM.
#include <signal.h>

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "core/bounded_file.h"
#include "core/time_format.h"
#include "reference/protocol/key_files.h"
#include "reference/protocol/protocol_version.h"
#include "reference/server/address_policy.h"
#include "reference/server/clock_uncertainty.h"
#include "reference/server/observe_target.h"
#include "reference/server/reference_server.h"
#include "reference/server/router.h"
#include "reference/server/server_config.h"

namespace {

using namespace tlsdoctor;
using namespace tlsdoctor::reference;

// Exit codes, as tlsdoctor's: 2 for usage errors, 3 when it could not run.
constexpr int kExitUsage = 2;
constexpr int kExitCannotRun = 3;
// A PEM certificate chain or key larger than this is not one.
constexpr std::uintmax_t kMaxPemBytes = 1024 * 1024;

// One JSON object per line on standard error: what the service did, never client data.
void log_event(nlohmann::json event) {
  event["time"] = rfc3339_utc(std::chrono::system_clock::now());
  std::fprintf(stderr, "%s\n", event.dump().c_str());
}

int fail(const Error& error, int code) {
  log_event({{"event", "error"}, {"input", error.input}, {"message", error.message}});
  std::fprintf(stderr, "tlsdoctor-reference: %s: %s\n", error.input.c_str(), error.message.c_str());
  return code;
}

tl::expected<std::string, Error> read_pem(const std::string& path) {
  return read_bounded_file(path, kMaxPemBytes, "a PEM file");
}

int keygen(const std::string& out) {
  auto key = SigningKey::generate();
  if (!key) return fail(key.error(), kExitCannotRun);
  auto written = write_key_pair(out, *key);
  if (!written) return fail(written.error(), kExitCannotRun);
  std::printf("wrote %s/%s and %s/%s\nkey id %s\npin it with: --reference-key %s\n", out.c_str(),
              std::string(kPrivateKeyFileName).c_str(), out.c_str(), std::string(kPublicKeyFileName).c_str(),
              written->id.c_str(), public_key_text(*written).c_str());
  return 0;
}

// The SSRF guard and trust anchors of /v1/observe from the configuration (CIDRs were checked
// when the configuration was merged).
ObserveSettings observe_settings(const ServeConfig& config) {
  ObserveSettings settings;
  for (const auto& text : config.allow_cidr) settings.vetting.addresses.allow.push_back(*parse_cidr(text));
  if (!config.observe_ports.empty()) settings.vetting.ports = config.observe_ports;
  if (!config.ca_file.empty()) settings.trust = tls::TrustSpec::from_file(config.ca_file);
  return settings;
}

// `clock_bound_ms`: the operator's statement of this clock's error bound, else the kernel's.
int serve(const ServeConfig& config, std::optional<std::int64_t> clock_bound_ms) {
  // Block the stop signals before any thread starts, so that only sigwait below sees them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  auto signing = load_signing_key(config.signing_key);
  if (!signing) return fail(signing.error(), kExitUsage);
  ServerSettings settings;
  settings.listen = config.listen;
  settings.threads = config.threads;
  auto chain = read_pem(config.cert);
  if (!chain) return fail(chain.error(), kExitUsage);
  auto key = read_pem(config.key);
  if (!key) return fail(key.error(), kExitUsage);
  settings.identity = ServerIdentity{*chain, *key};
  settings.proxy_protocol = config.proxy_protocol;
  settings.captive_listen = config.captive_listen;
  if (config.log_requests) settings.request_log = [](const nlohmann::json& event) { log_event(event); };
  if (!config.ca_file.empty()) {
    if (auto readable = read_pem(config.ca_file); !readable) return fail(readable.error(), kExitUsage);
  }
  const ObserveSettings observing = observe_settings(config);
  ObserveHandler observe;
  if (config.observe) observe = [&observing](const ObserveRequest& request) { return observe_target(request, observing); };
  ClockBound clock_bound;
  if (clock_bound_ms) clock_bound = [ms = *clock_bound_ms] { return ms; };
  const Router router(*signing, observe, clock_bound);
  auto server = ReferenceServer::start(settings, router);
  if (!server) return fail(server.error(), kExitCannotRun);
  log_event({{"event", "listening"},
             {"listen", config.listen},
             {"ports", (*server)->ports()},
             {"captive_ports", (*server)->captive_ports()},
             {"proxy_protocol", config.proxy_protocol},
             {"observe", config.observe},
             {"allow_cidr", config.allow_cidr},
             {"protocol", kProtocolVersion},
             {"key_id", signing->public_key().id}});
  int received = 0;
  sigwait(&stop_signals, &received);
  log_event({{"event", "stopping"}, {"signal", received == SIGTERM ? "SIGTERM" : "SIGINT"}});
  (*server)->stop();
  log_event({{"event", "stopped"}});
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"tlsdoctor-reference: the signed reference service tlsdoctor compares this machine with"};
  app.require_subcommand(1);
  std::string out;
  auto* keygen_command = app.add_subcommand("keygen", "write DIR/signing.key and DIR/signing.pub");
  keygen_command->add_option("--out", out, "directory for the key pair")->required();

  ServeConfig flags;
  std::string config_file;
  auto* serve_command = app.add_subcommand("serve", "serve the reference over TLS until SIGTERM");
  serve_command->add_option("--config", config_file, "JSON configuration (flags given here win)");
  serve_command->add_option("--listen", flags.listen, "ADDRESS:PORT to listen on (repeatable; [v6]:port)");
  serve_command->add_option("--cert", flags.cert, "PEM certificate chain, leaf first");
  serve_command->add_option("--key", flags.key, "PEM private key of the certificate");
  serve_command->add_option("--signing-key", flags.signing_key, "signing.key written by keygen");
  auto* threads_option = serve_command->add_option("--threads", flags.threads, "threads serving connections")
                             ->check(CLI::Range(std::size_t{1}, kMaxServerThreads));
  bool no_observe = false;
  serve_command->add_flag("--no-observe", no_observe, "do not offer POST /v1/observe");
  serve_command->add_option("--allow-cidr", flags.allow_cidr,
                            "let /v1/observe reach this network despite the SSRF guard (repeatable)");
  serve_command->add_option("--observe-port", flags.observe_ports, "a port /v1/observe may probe (repeatable)")
      ->check(CLI::Range(1, 65535));
  serve_command->add_option("--ca-file", flags.ca_file, "PEM anchors for /v1/observe (default: the system store)");
  serve_command->add_flag("--proxy-protocol", flags.proxy_protocol,
                          "expect a PROXY v2 header first (HAProxy in TCP mode with send-proxy-v2)");
  serve_command->add_option("--captive-listen", flags.captive_listen,
                            "plain-HTTP ADDRESS:PORT serving the captive-portal check page (repeatable)");
  serve_command->add_flag("--log-requests", flags.log_requests, "a JSON line per request on stderr");
  std::optional<std::int64_t> clock_bound_ms;
  serve_command
      ->add_option("--clock-uncertainty-ms", clock_bound_ms,
                   "the error bound /v1/time reports for this clock, when the kernel's (adjtimex) does not "
                   "reflect how it is kept (a PTP- or GPS-disciplined clock)")
      ->check(CLI::Range(std::int64_t{1}, kUnsyncedUncertaintyMs));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error) == 0 ? 0 : kExitUsage;
  }
  if (*keygen_command) return keygen(out);
  std::optional<ServeConfig> from_file;
  if (!config_file.empty()) {
    auto loaded = load_serve_config(config_file);
    if (!loaded) return fail(loaded.error(), kExitUsage);
    from_file = std::move(*loaded);
  }
  flags.observe = !no_observe;
  const GivenFlags given{threads_option->count() > 0, no_observe, flags.proxy_protocol, flags.log_requests};
  auto config = merge_serve_config(from_file, flags, given);
  if (!config) return fail(config.error(), kExitUsage);
  return serve(*config, clock_bound_ms);
}
