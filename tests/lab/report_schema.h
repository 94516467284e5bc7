// Validates a JSON report against docs/report-schema.json (JSON Schema draft 7, via valijson).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace tlsdoctor::lab {

// The list of violations ("/checks/0/status: ..."); empty when the document is valid.
std::vector<std::string> report_schema_violations(const nlohmann::json& document);
// The same for what `tlsdoctor probe -f json` prints: {"probes": [...]}.
std::vector<std::string> probe_output_violations(const nlohmann::json& document);

}  // namespace tlsdoctor::lab
