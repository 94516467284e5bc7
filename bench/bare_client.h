// The floor for the probe benchmark: the same handshakes made by a bare OpenSSL client.
#pragma once

#include <cstddef>

#include "lab/scenario_server.h"

namespace tlsdoctor::bench {

// Makes `count` full handshakes with `server` on `threads` threads (blocking sockets, one shared
// SSL_CTX, the lab root as the only anchor, the chain and the lab name verified as a browser
// would) and returns how many completed and verified. No observation is recorded: this is what
// OpenSSL alone costs for the handshakes run_probes makes, the floor under any client on it.
std::size_t bare_handshakes(const lab::ScenarioServer& server, std::size_t count, unsigned threads);

}  // namespace tlsdoctor::bench
