// The reference behind a real HAProxy in TCP mode with PROXY v2: echo names the original client; a direct client is closed.
#include <catch2/catch.hpp>

#include "lab/haproxy_proxy.h"
#include "lab/lab_https_client.h"
#include "lab/scenario_pki.h"
#include "lab/subprocess.h"
#include "lab/temp_tree.h"
#include "reference/protocol/answer_check.h"
#include "reference/protocol/messages.h"
#include "reference/server/reference_server.h"

using namespace tlsdoctor;
using namespace tlsdoctor::reference;

namespace {

struct ProxiedReference {
  SigningKey key = SigningKey::generate().value();
  Router router{key};
  std::unique_ptr<ReferenceServer> server;
  lab::TempTree dir = lab::TempTree::create("tlsdoctor-ref-haproxy-").value();
  std::string ca;

  ProxiedReference() {
    lab::ScenarioOptions options;
    auto identity = lab::default_identity(options);
    REQUIRE(identity);
    ServerSettings settings;
    settings.listen = {"127.0.0.1:0"};
    settings.proxy_protocol = true;
    settings.identity.chain_pem = identity->certificate.cert_pem();
    for (const auto& cert : identity->chain) settings.identity.chain_pem += cert.cert_pem();
    settings.identity.key_pem = identity->certificate.key_pem();
    auto started = ReferenceServer::start(settings, router);
    REQUIRE(started);
    server = std::move(*started);
    ca = (dir.path() / "root.pem").string();
    REQUIRE(lab::write_pem_bundle(ca, {&lab::lab_pki().root}));
  }

  lab::LabHttpResponse echo(std::uint16_t port, const std::string& nonce, const std::string& from) const {
    const std::string host_port = std::string(lab::kLabHostName) + ":" + std::to_string(port);
    lab::LabHttpRequest request;
    request.url = "https://" + host_port + "/v1/echo?nonce=" + nonce;
    request.resolve = {host_port + ":127.0.0.1"};
    request.ca_file = ca;
    request.local_address = from;
    request.timeout = std::chrono::seconds(5);
    return lab::lab_http_request(request);
  }
};

}  // namespace

TEST_CASE("behind HAProxy with PROXY v2, echo shows the client's own address and port", "[haproxy]") {
  const ProxiedReference reference;
  auto haproxy = lab::HaproxyProxy::start(lab::HaproxyOptions{reference.server->ports().front(), true});
  if (!haproxy) {
    if (lab::lab_required()) FAIL("haproxy is required by TLSDOCTOR_REQUIRE_LAB: " << haproxy.error());
    WARN("skipped: " << haproxy.error());
    return;
  }
  const std::string nonce = make_nonce();
  // The client binds 127.0.0.3: the server's own socket sees HAProxy's 127.0.0.1 instead.
  const auto answer = reference.echo((*haproxy)->port(), nonce, "127.0.0.3");
  INFO(answer.error << answer.body << (*haproxy)->logs());
  REQUIRE(answer.status == 200);
  auto checked = check_answer(SignedBody{answer.body, answer.header("tlsdoctor-key-id"),
                                         answer.header("tlsdoctor-signature")},
                              KeySet{{reference.key.public_key()}}, "echo", nonce);
  REQUIRE(checked);
  auto echo = echo_answer_from_json(checked->value);
  REQUIRE(echo);
  CHECK(echo->received.peer.address == "127.0.0.3");
  CHECK(echo->received.peer.port == answer.local_port);
}

TEST_CASE("with PROXY v2 required, a client that skips the proxy is closed, not served", "[haproxy]") {
  const ProxiedReference reference;
  const auto direct = reference.echo(reference.server->ports().front(), make_nonce(), "");
  CHECK(direct.status == 0);
  CHECK_FALSE(direct.error.empty());
  CHECK_THAT(reference.server->metrics().render(),
             Catch::Contains("tlsdoctor_reference_errors_total{class=\"proxy_header_invalid\"} 1\n"));
}
