// A Handshake as the report's probe object (docs/report-schema.md, "probes"): what `probe -f json` prints.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include <nlohmann/json.hpp>

#include "tls/handshake.h"

namespace tlsdoctor::tls {

// The probe object: target, label, spec (the proxy in display form only), failure (a failure
// string or null) with its meaning, and every observation. Certificates are described
// (subject, issuer, validity, names, key, fingerprints) and carried as base64 DER so that a
// support engineer can rebuild the chain; the ClientHello likewise.
nlohmann::ordered_json to_json(const Handshake& handshake);

}  // namespace tlsdoctor::tls
