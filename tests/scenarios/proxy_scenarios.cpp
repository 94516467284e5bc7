// Scenarios about the proxy on this machine's route: squid working, asking for credentials, refusing, or down.
#include "lab/loopback_port.h"
#include "lab/squid_proxy.h"
#include "scenarios/scenario.h"

namespace tlsdoctor::scenarios {
namespace {

// squid in `options.mode`, named in https_proxy as `url_of` makes it. The reference is addressed
// by its IP: squid resolves names itself and knows nothing of the lab's.
tl::expected<Staged, std::string> through_squid(const lab::SquidOptions& options,
                                                const std::function<std::string(const lab::SquidProxy&)>& url_of) {
  auto squid = lab::SquidProxy::start(options);
  if (!squid) return tl::unexpected(squid.error());
  Staged staged;
  auto& proxy = keep(staged, std::move(*squid), "squid");
  staged.env["https_proxy"] = url_of(proxy);
  staged.reference_by_address = true;
  return staged;
}

Scenario squid_scenario(std::string name, std::string situation, Expected expected, lab::SquidMode mode,
                        std::function<std::string(const lab::SquidProxy&)> url_of) {
  return Scenario{std::move(name), std::move(situation), std::move(expected), {"squid"},
                  [mode, url_of = std::move(url_of)](const Workspace&) {
                    lab::SquidOptions options;
                    options.mode = mode;
                    return through_squid(options, url_of);
                  }};
}

}  // namespace

std::vector<Scenario> proxy_scenarios() {
  const auto plain = [](const lab::SquidProxy& p) { return p.url(); };
  return {
      squid_scenario("healthy-proxy", "a working proxy (squid) on the route", {"none", "", 0}, lab::SquidMode::Open,
                     plain),
      squid_scenario("proxy-auth-required", "the proxy asks for credentials and none are configured",
                     {"local", "proxy.auth_required", 1}, lab::SquidMode::BasicAuth, plain),
      squid_scenario("proxy-auth-given", "the proxy asks for credentials and the proxy URL carries them",
                     {"none", "", 0}, lab::SquidMode::BasicAuth,
                     [](const lab::SquidProxy& p) { return p.url_with(lab::kSquidUser, lab::kSquidPassword); }),
      {"proxy-connect-denied", "the proxy refuses CONNECT to the reference's port", {"path", "proxy.denied", 1}, {"squid"},
       [plain](const Workspace& w) {
         lab::SquidOptions options;
         options.mode = lab::SquidMode::DenyConnectToPort;
         options.denied_port = w.reference_port;
         return through_squid(options, plain);
       }},
      {"proxy-down", "the configured proxy does not listen", {"local", "proxy.unreachable", 1}, {},
       [](const Workspace&) -> tl::expected<Staged, std::string> {
         Staged staged;
         staged.env["https_proxy"] = "http://127.0.0.1:" + std::to_string(lab::unused_loopback_port());
         staged.reference_by_address = true;
         return staged;
       }},
  };
}

}  // namespace tlsdoctor::scenarios
