// The JSON-lines rendering for a SIEM: one Elastic Common Schema event per finding, and one for the verdict.
#pragma once

#include <string>

#include "report/report.h"

namespace tlsdoctor::report {

// The ECS version the events follow (ecs-logging's layout: "@timestamp", "log.level", "message"
// and "ecs.version" at the top, the rest nested).
inline constexpr std::string_view kEcsVersion = "8.11.0";

// One line per finding (event.dataset "tlsdoctor.finding", log.level error / warning / info by
// severity), then one line for the verdict ("tlsdoctor.verdict"), each a compact JSON object:
// @timestamp (the run's start), message, event.{kind, category, type, module, dataset, outcome},
// host.{name, os, architecture} (as redacted in the report), and tlsdoctor.{run_id, version,
// check, finding | verdict}. A healthy run still gives its verdict line.
std::string render_jsonl(const Report& report);

}  // namespace tlsdoctor::report
