// The JSON rendering of a report: schema tlsdoctor.report/1 (docs/report-schema.md).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "report/report.h"

namespace tlsdoctor::report {

nlohmann::ordered_json to_json(const Report& report);
nlohmann::ordered_json to_json(const CheckResult& check);
nlohmann::ordered_json to_json(const Finding& finding);

// Pretty-printed, newline-terminated.
std::string render_json(const Report& report);

}  // namespace tlsdoctor::report
