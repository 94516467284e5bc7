// Tests for the scenario server's certificate, version, SNI and client-certificate behaviours, seen by a plain OpenSSL client.
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <atomic>
#include <chrono>
#include <set>
#include <string>
#include <thread>

#include <catch2/catch.hpp>

#include "lab/lab_client.h"
#include "lab/scenario_pki.h"
#include "lab/scenario_server.h"

namespace {

using namespace std::chrono_literals;
using tlsdoctor::lab::Behaviour;
using tlsdoctor::lab::kLabHostName;
using tlsdoctor::lab::lab_handshake;
using tlsdoctor::lab::LabClientOptions;
using tlsdoctor::lab::ScenarioOptions;
using tlsdoctor::lab::ScenarioServer;
using tlsdoctor::lab::ServedConnection;

// Loopback handshakes take milliseconds; the bounds allow a loaded CI box under ASan.
constexpr auto kRecordWait = 3s;

std::unique_ptr<ScenarioServer> start(Behaviour behaviour, ScenarioOptions options = {}) {
  options.behaviour = behaviour;
  auto server = ScenarioServer::start(options);
  INFO(to_string(behaviour));
  REQUIRE(server.has_value());
  return std::move(*server);
}

ServedConnection only_record(const ScenarioServer& server) {
  REQUIRE(server.wait_for_connections(0, kRecordWait));
  const auto records = server.connections();
  REQUIRE(records.size() == 1);
  return records.front();
}

std::string common_name(const std::vector<std::uint8_t>& der) {
  const unsigned char* p = der.data();
  tlsdoctor::pki::X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (!cert) return "(unparsable)";
  char name[256] = {};
  X509_NAME_get_text_by_NID(X509_get_subject_name(cert.get()), NID_commonName, name, sizeof name);
  return name;
}

bool is_ca(const std::vector<std::uint8_t>& der) {
  const unsigned char* p = der.data();
  tlsdoctor::pki::X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  return cert && X509_check_ca(cert.get()) != 0;
}

}  // namespace

TEST_CASE("every behaviour has a distinct name and hostile ones are marked", "[scenario_server]") {
  std::set<std::string> names;
  for (const Behaviour behaviour : tlsdoctor::lab::all_behaviours()) names.emplace(to_string(behaviour));
  CHECK(names.size() == 26);
  CHECK(to_string(Behaviour::Tls10Only) == "tls1.0-only");
  CHECK_FALSE(tlsdoctor::lab::is_hostile(Behaviour::ClientCertRequired));
  CHECK(tlsdoctor::lab::is_hostile(Behaviour::NeverAnswers));
  CHECK(tlsdoctor::lab::is_hostile(Behaviour::DropLargeHello));
}

TEST_CASE("a good server completes and records the ClientHello and SNI", "[scenario_server]") {
  const auto server = start(Behaviour::Good);
  CHECK(server->address() == "127.0.0.1");
  CHECK(server->port() != 0);
  const auto client = lab_handshake(*server, {});
  REQUIRE(client.completed);
  CHECK(client.verify_result == X509_V_OK);
  CHECK(client.version == "TLSv1.3");
  CHECK(client.peer_chain == server->served_chain());
  REQUIRE(client.peer_chain.size() == 2);
  CHECK(common_name(client.peer_chain[0]) == kLabHostName);
  CHECK(client.peer_chain[1] == tlsdoctor::lab::lab_pki().intermediate.cert_der());

  const auto record = only_record(*server);
  CHECK(record.handshake_completed);
  CHECK(record.failure.empty());
  CHECK(record.sni == kLabHostName);
  REQUIRE(record.client_hello.size() > 4);
  CHECK(record.client_hello[0] == 1);  // handshake type client_hello
  const std::size_t body = (std::size_t{record.client_hello[1]} << 16) | (std::size_t{record.client_hello[2]} << 8) |
                           record.client_hello[3];
  CHECK(record.client_hello.size() == body + 4);
}

TEST_CASE("certificate scenarios fail verification with their own error and still hand over the chain",
          "[scenario_server]") {
  struct Case {
    Behaviour behaviour;
    long verify_error;
    std::size_t chain_length;
  };
  const auto scenario = GENERATE(values<Case>({
      {Behaviour::Expired, X509_V_ERR_CERT_HAS_EXPIRED, 2},
      {Behaviour::NotYetValid, X509_V_ERR_CERT_NOT_YET_VALID, 2},
      {Behaviour::WrongHost, X509_V_ERR_HOSTNAME_MISMATCH, 2},
      {Behaviour::SelfSigned, X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT, 1},
      {Behaviour::UntrustedRoot, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, 2},
      {Behaviour::IncompleteChain, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, 1},
      // The intermediate comes first, so it is what the name is checked against.
      {Behaviour::ReversedChain, X509_V_ERR_HOSTNAME_MISMATCH, 2},
  }));
  INFO(to_string(scenario.behaviour));
  const auto server = start(scenario.behaviour);
  const auto verified = lab_handshake(*server, {});
  CHECK_FALSE(verified.completed);
  CHECK(verified.reason == "certificate verify failed");
  CHECK(verified.verify_result == scenario.verify_error);
  CHECK(verified.peer_chain == server->served_chain());
  CHECK(verified.peer_chain.size() == scenario.chain_length);
  // The server hears the client's complaint as an alert.
  CHECK(only_record(*server).failure.find("alert") != std::string::npos);

  // Without verification (as the probe engine runs) the handshake itself completes.
  LabClientOptions unverified;
  unverified.verify = false;
  const auto completed = lab_handshake(*server, unverified);
  CHECK(completed.completed);
  CHECK(completed.peer_chain == server->served_chain());
}

TEST_CASE("the chain scenarios send exactly the certificates they name", "[scenario_server]") {
  const auto& pki = tlsdoctor::lab::lab_pki();
  SECTION("reversed: the intermediate, then the leaf") {
    const auto chain = start(Behaviour::ReversedChain)->served_chain();
    REQUIRE(chain.size() == 2);
    CHECK(chain[0] == pki.intermediate.cert_der());
    CHECK(common_name(chain[1]) == kLabHostName);
    CHECK_FALSE(is_ca(chain[1]));
  }
  SECTION("untrusted root: the leaf and an intermediate of another root") {
    const auto chain = start(Behaviour::UntrustedRoot)->served_chain();
    REQUIRE(chain.size() == 2);
    CHECK(is_ca(chain[1]));
    CHECK(chain[1] != pki.intermediate.cert_der());
  }
  SECTION("wrong host: a leaf for another name") {
    const auto chain = start(Behaviour::WrongHost)->served_chain();
    CHECK(common_name(chain.at(0)) == tlsdoctor::lab::kWrongHostName);
  }
}

TEST_CASE("an RSA-1024 leaf fails at security level 2", "[scenario_server]") {
  const auto server = start(Behaviour::Rsa1024);
  LabClientOptions strict;
  strict.security_level = 2;
  const auto client = lab_handshake(*server, strict);
  CHECK_FALSE(client.completed);
  CHECK(client.verify_result == X509_V_ERR_EE_KEY_TOO_SMALL);
  LabClientOptions lenient;
  lenient.security_level = 0;
  CHECK(lab_handshake(*server, lenient).completed);
}

TEST_CASE("version scenarios speak exactly one version", "[scenario_server]") {
  struct Case {
    Behaviour behaviour;
    int version;
    const char* name;
  };
  const auto scenario = GENERATE(values<Case>({
      {Behaviour::Tls10Only, TLS1_VERSION, "TLSv1"},
      {Behaviour::Tls11Only, TLS1_1_VERSION, "TLSv1.1"},
      {Behaviour::Tls12Only, TLS1_2_VERSION, "TLSv1.2"},
      {Behaviour::Tls13Only, TLS1_3_VERSION, "TLSv1.3"},
  }));
  INFO(scenario.name);
  const auto server = start(scenario.behaviour);
  // A client that allows everything gets that version.
  LabClientOptions any;
  any.security_level = 0;
  any.min_version = TLS1_VERSION;
  any.cipher_list = "DEFAULT:@SECLEVEL=0";
  const auto completed = lab_handshake(*server, any);
  CHECK(completed.completed);
  CHECK(completed.version == scenario.name);
  CHECK(only_record(*server).handshake_completed);

  // A client that allows every version but that one is refused.
  LabClientOptions others = any;
  if (scenario.version == TLS1_3_VERSION) {
    others.max_version = TLS1_2_VERSION;
  } else {
    others.min_version = scenario.version + 1;
  }
  const auto refused = lab_handshake(*server, others);
  CHECK_FALSE(refused.completed);
  CHECK(refused.alert_received == SSL_AD_PROTOCOL_VERSION);
}

TEST_CASE("a TLS 1.0-only server is refused by a client at the default level", "[scenario_server]") {
  const auto server = start(Behaviour::Tls10Only);
  LabClientOptions level_two;
  level_two.security_level = 2;
  const auto client = lab_handshake(*server, level_two);
  CHECK_FALSE(client.completed);
  CHECK_FALSE(client.reason.empty());
}

TEST_CASE("the weak-DH server offers only DHE with a 1024-bit group", "[scenario_server]") {
  const auto server = start(Behaviour::WeakDh);
  LabClientOptions strict;
  strict.security_level = 2;
  const auto refused = lab_handshake(*server, strict);
  CHECK_FALSE(refused.completed);
  CHECK(refused.reason == "dh key too small");

  LabClientOptions lenient;
  lenient.security_level = 0;
  const auto completed = lab_handshake(*server, lenient);
  CHECK(completed.completed);
  CHECK(completed.version == "TLSv1.2");
  CHECK(completed.cipher.rfind("DHE-RSA-", 0) == 0);
}

TEST_CASE("the SNI-required server alerts unrecognized_name unless the lab name is sent", "[scenario_server]") {
  const auto server = start(Behaviour::SniRequired);
  LabClientOptions none;
  none.sni.reset();
  const auto without = lab_handshake(*server, none);
  CHECK_FALSE(without.completed);
  CHECK(without.alert_received == SSL_AD_UNRECOGNIZED_NAME);

  LabClientOptions other;
  other.sni = "other.tlsdoctor.test";
  const auto wrong = lab_handshake(*server, other);
  CHECK(wrong.alert_received == SSL_AD_UNRECOGNIZED_NAME);

  CHECK(lab_handshake(*server, {}).completed);

  REQUIRE(server->wait_for_connections(2, kRecordWait));
  const auto records = server->connections();
  CHECK(records[0].sni.empty());
  CHECK_FALSE(records[0].handshake_completed);
  CHECK(records[1].sni == "other.tlsdoctor.test");
  CHECK(records[2].sni == kLabHostName);
  CHECK(records[2].handshake_completed);
}

TEST_CASE("the cert-per-SNI server picks the certificate by name", "[scenario_server]") {
  ScenarioOptions options;
  options.sni_names = {"a.lab.tlsdoctor.test", "b.lab.tlsdoctor.test"};
  const auto server = start(Behaviour::CertPerSni, options);
  for (const std::string name : {"a.lab.tlsdoctor.test", "B.LAB.tlsdoctor.test"}) {
    LabClientOptions client;
    client.sni = name;
    client.verify_name = name;
    const auto result = lab_handshake(*server, client);
    INFO(name);
    CHECK(result.completed);
    REQUIRE_FALSE(result.peer_chain.empty());
    CHECK(common_name(result.peer_chain[0]) == (name[0] == 'a' ? "a.lab.tlsdoctor.test" : "b.lab.tlsdoctor.test"));
  }
  LabClientOptions none;
  none.sni.reset();
  const auto fallback = lab_handshake(*server, none);
  CHECK(fallback.completed);
  CHECK(fallback.peer_chain == server->served_chain());
  CHECK(common_name(server->served_chain().at(0)) == kLabHostName);
}

TEST_CASE("the client-certificate server refuses a client without one", "[scenario_server]") {
  const auto server = start(Behaviour::ClientCertRequired);
  SECTION("TLS 1.3: the client finishes first, then reads certificate_required") {
    LabClientOptions options;
    options.read_after = 2s;
    const auto client = lab_handshake(*server, options);
    CHECK(client.completed);
    CHECK(client.post_handshake == "alert");
    CHECK(client.alert_received == SSL_AD_CERTIFICATE_REQUIRED);
    const auto record = only_record(*server);
    CHECK_FALSE(record.handshake_completed);
    CHECK(record.failure == "peer did not return a certificate");
  }
  SECTION("TLS 1.2: the handshake itself fails") {
    LabClientOptions options;
    options.max_version = TLS1_2_VERSION;
    const auto client = lab_handshake(*server, options);
    CHECK_FALSE(client.completed);
    CHECK(client.alert_received == SSL_AD_HANDSHAKE_FAILURE);
  }
  SECTION("with the lab client certificate it completes") {
    const auto credential = tlsdoctor::lab::lab_client_credential();
    REQUIRE(credential.has_value());
    LabClientOptions options;
    options.client_certificate = &*credential;
    options.read_after = 200ms;
    const auto client = lab_handshake(*server, options);
    CHECK(client.completed);
    CHECK(client.post_handshake == "eof");
    CHECK(only_record(*server).handshake_completed);
  }
}

TEST_CASE("the server listens on ::1", "[scenario_server]") {
  ScenarioOptions options;
  options.bind_address = "::1";
  auto server = ScenarioServer::start(options);
  if (!server) {
    WARN("skipped: no IPv6 on loopback (" << server.error() << ")");
    return;
  }
  CHECK((*server)->address() == "::1");
  CHECK(lab_handshake(**server, {}).completed);
}

TEST_CASE("the server serves many clients at once", "[scenario_server]") {
  const auto server = start(Behaviour::Good);
  constexpr std::size_t kClients = 16;
  std::vector<std::thread> clients;
  std::atomic<std::size_t> completed{0};
  for (std::size_t i = 0; i < kClients; ++i) {
    clients.emplace_back([&] {
      if (lab_handshake(*server, {}).completed) ++completed;
    });
  }
  for (auto& client : clients) client.join();
  CHECK(completed == kClients);
  REQUIRE(server->wait_for_connections(kClients - 1, kRecordWait));
  CHECK(server->connections().size() == kClients);
}

TEST_CASE("bad options are refused at start", "[scenario_server]") {
  ScenarioOptions options;
  options.bind_address = "localhost";  // a name, not an address
  CHECK_FALSE(ScenarioServer::start(options).has_value());
  options.bind_address = "0.0.0.0";  // every interface
  CHECK_FALSE(ScenarioServer::start(options).has_value());
  options.bind_address = "::";
  CHECK_FALSE(ScenarioServer::start(options).has_value());
  options.bind_address = "127.0.0.1";
  options.behaviour = Behaviour::LongChain;
  options.chain_length = 0;
  CHECK_FALSE(ScenarioServer::start(options).has_value());
  options.behaviour = Behaviour::HugeCertificate;
  options.huge_certificate_bytes = tlsdoctor::lab::kMaxLabCertificateBytes + 1;
  CHECK_FALSE(ScenarioServer::start(options).has_value());
}
