// tlsdoctor-reference: `keygen` writes a signing key pair; `serve` runs the reference until SIGTERM.
#include <signal.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "core/time_format.h"
#include "reference/protocol/key_files.h"
#include "reference/protocol/protocol_version.h"
#include "reference/server/reference_server.h"
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
  std::error_code error;
  const auto size = std::filesystem::file_size(path, error);
  if (error) return tl::unexpected(Error{path, "cannot read it: " + error.message()});
  if (size > kMaxPemBytes) return tl::unexpected(Error{path, "too large for a PEM file"});
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
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

int serve(const ServeConfig& config) {
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
  const Router router(*signing);
  auto server = ReferenceServer::start(settings, router);
  if (!server) return fail(server.error(), kExitCannotRun);
  log_event({{"event", "listening"},
             {"listen", config.listen},
             {"ports", (*server)->ports()},
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
  auto config = merge_serve_config(from_file, flags, threads_option->count() > 0);
  if (!config) return fail(config.error(), kExitUsage);
  return serve(*config);
}
