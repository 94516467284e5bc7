// What a scenario server does with one accepted connection, behaviour by behaviour.
#pragma once

#include <functional>

#include "lab/scenario_context.h"
#include "lab/scenario_io.h"
#include "lab/scenario_server.h"

namespace tlsdoctor::lab {

// Serves the connection behind `io` as `options.behaviour` says. `publish` is called exactly
// once, as soon as the server knows how the connection went (before any closing grace), so a
// test that waits for the record does not wait for the socket to close too.
void serve_connection(const ScenarioOptions& options, const ScenarioContexts& contexts, ConnectionIo& io,
                      const std::function<void(ServedConnection)>& publish);

}  // namespace tlsdoctor::lab
