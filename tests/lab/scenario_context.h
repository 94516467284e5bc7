// The OpenSSL server contexts of one scenario server: versions, ciphers, certificates and SNI rules per behaviour.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <tl/expected.hpp>

#include "lab/scenario_pki.h"
#include "lab/scenario_server.h"
#include "tls/openssl_handles.h"

namespace tlsdoctor::lab {

// Lives as long as the server: the servername callback of every context points at it.
struct ScenarioContexts {
  Behaviour behaviour = Behaviour::Good;
  std::string host_name;
  tls::SslCtxPtr default_ctx;  // null for the behaviours that never run TLS
  ServedIdentity default_identity;
  std::vector<std::pair<std::string, tls::SslCtxPtr>> by_name;  // CertPerSni: one context per name
};

tl::expected<std::unique_ptr<ScenarioContexts>, LabError> make_scenario_contexts(const ScenarioOptions& options);

}  // namespace tlsdoctor::lab
