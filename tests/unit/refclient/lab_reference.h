// One in-process tlsdoctor-reference per test executable, serving the lab's certificate for kLabHostName on 127.0.0.1.
#pragma once

#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "lab/scenario_pki.h"
#include "reference/server/reference_server.h"
#include "refclient/reference_client.h"

namespace tlsdoctor::test {

// The key the lab reference signs with, made once.
inline const reference::SigningKey& lab_reference_key() {
  static const reference::SigningKey key = reference::SigningKey::generate().value();
  return key;
}

// Settings for a reference on 127.0.0.1 port 0 that presents the lab's certificate for kLabHostName.
inline reference::ServerSettings lab_reference_settings() {
  auto identity = lab::default_identity(lab::ScenarioOptions{});
  REQUIRE(identity);
  reference::ServerSettings settings;
  settings.listen = {"127.0.0.1:0"};
  settings.identity.chain_pem = identity->certificate.cert_pem();
  for (const auto& cert : identity->chain) settings.identity.chain_pem += cert.cert_pem();
  settings.identity.key_pem = identity->certificate.key_pem();
  return settings;
}

// Started on first use, then shared; its port is the kernel's choice.
inline std::uint16_t lab_reference_port() {
  struct Running {
    // A synchronised clock (50 ms), whatever this machine's kernel says: tests of the checker's
    // use of the time must not depend on the test machine's NTP state.
    reference::Router router{lab_reference_key(), {}, [] { return std::int64_t{50}; }};
    std::unique_ptr<reference::ReferenceServer> server;
  };
  static Running r;
  if (!r.server) {
    auto started = reference::ReferenceServer::start(lab_reference_settings(), r.router);
    REQUIRE(started);
    r.server = std::move(*started);
  }
  return r.server->ports().front();
}

// The lab reference as the checker addresses it, pinning `keys` (the right key or another).
inline refclient::ReferenceTarget lab_reference_target(const reference::KeySet& keys) {
  const std::string host_port = std::string(lab::kLabHostName) + ":" + std::to_string(lab_reference_port());
  return refclient::ReferenceTarget{"https://" + host_port, keys, std::nullopt, {host_port + ":127.0.0.1"}};
}

}  // namespace tlsdoctor::test
