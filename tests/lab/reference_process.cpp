// Starts tlsdoctor-reference with fresh keys and the lab's certificate, and reads its listening line.
#include "lab/reference_process.h"

#include <chrono>
#include <sstream>

#include "lab/cert_factory.h"
#include "lab/loopback_port.h"
#include "lab/scenario_pki.h"
#include "lab/subprocess.h"

namespace tlsdoctor::lab {
namespace {

// keygen plus serve's start-up take well under a second here; a busy CI machine gets room.
constexpr std::chrono::seconds kReferenceStartTimeout{10};

}  // namespace

std::string ReferenceProcess::url() const { return "https://" + std::string(kLabHostName) + ":" + std::to_string(port); }

std::string ReferenceProcess::captive_url() const {
  return "http://" + address + ":" + std::to_string(captive_port) + "/v1/captive";
}

nlohmann::json listening_event(const std::string& log) {
  std::istringstream lines(log);
  for (std::string line; std::getline(lines, line);) {
    const auto event = nlohmann::json::parse(line, nullptr, false);
    if (!event.is_discarded() && event.is_object() && event.value("event", "") == "listening") return event;
  }
  return nullptr;
}

std::uint16_t listening_port(const std::string& log) {
  const auto event = listening_event(log);
  if (!event.is_object() || !event.contains("ports") || event["ports"].empty()) return 0;
  return event["ports"][0].get<std::uint16_t>();
}

tl::expected<ReferenceProcess, std::string> start_reference_process(const ReferenceProcessOptions& options) {
  auto dir = TempTree::create("tlsdoctor-lab-reference-");
  if (!dir) return tl::unexpected("reference directory: " + dir.error());
  ReferenceProcess r{std::move(*dir), nullptr, 0, {}, {}, 0, options.address};
  const auto keys = r.dir.path() / "keys";
  const auto keygen = run_process({tlsdoctor_reference_binary(), "keygen", "--out", keys.string()});
  if (keygen.exit_code != 0) return tl::unexpected("tlsdoctor-reference keygen: " + keygen.err);
  auto identity = default_identity(ScenarioOptions{});
  if (!identity) return tl::unexpected("reference certificate: " + identity.error());
  std::string chain = identity->certificate.cert_pem();
  for (const auto& cert : identity->chain) chain += cert.cert_pem();
  r.root_pem = r.dir.path() / "root.pem";
  r.public_key = keys / "signing.pub";
  if (!write_file(r.dir.path() / "chain.pem", chain) ||
      !write_file(r.dir.path() / "key.pem", identity->certificate.key_pem()) ||
      !write_pem_bundle(r.root_pem, {&lab_pki().root})) {
    return tl::unexpected(std::string("cannot write the reference's files in ") + r.dir.path().string());
  }
  std::vector<std::string> argv{tlsdoctor_reference_binary(), "serve", "--listen",
                                options.address + ":" + std::to_string(options.port), "--cert",
                                (r.dir.path() / "chain.pem").string(), "--key", (r.dir.path() / "key.pem").string(),
                                "--signing-key", (keys / "signing.key").string()};
  if (options.captive) {
    r.captive_port = unused_loopback_port();
    argv.insert(argv.end(), {"--captive-listen", options.address + ":" + std::to_string(r.captive_port)});
  }
  argv.insert(argv.end(), options.extra_args.begin(), options.extra_args.end());
  auto server = BackgroundProcess::start(argv, "\"listening\"", kReferenceStartTimeout);
  if (!server) return tl::unexpected("tlsdoctor-reference serve: " + server.error());
  r.process = std::move(*server);
  r.port = listening_port(r.process->stderr_so_far());
  if (r.port == 0) return tl::unexpected("tlsdoctor-reference serve: no port in " + r.process->stderr_so_far());
  return r;
}

}  // namespace tlsdoctor::lab
