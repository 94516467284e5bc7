// Text for `tlsdoctor probe`: one handshake's observations, readable where `openssl s_client -showcerts` is not.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "report/text_renderer.h"

namespace tlsdoctor::report {

// `probes` is an array of probe objects (docs/report-schema.md, "probes"). The first is shown
// in full: outcome, connection, chain, verification, ClientHello, alerts; the others (version
// variants) as one line each. Works from the JSON so that report/ needs nothing of checker/tls.
std::string render_probes_text(const nlohmann::ordered_json& probes, const TextOptions& options);

}  // namespace tlsdoctor::report
