// The verdict: where the fault lies, its primary cause, and the first thing to do.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/check_result.h"
#include "core/finding_id.h"

namespace tlsdoctor::diagnosis {

// The five verdict words of the report schema.
enum class VerdictLayer { Local, Path, Server, None, Unknown };

std::string_view to_string(VerdictLayer layer);

enum class Confidence { Low, Medium, High };

std::string_view to_string(Confidence confidence);

struct Verdict {
  VerdictLayer layer = VerdictLayer::Unknown;
  std::optional<FindingId> cause;        // the primary finding; nullopt when healthy
  std::string summary;                   // one sentence for the end of the text report
  std::string first_step;                // the primary finding's fix ("" when healthy)
  std::vector<FindingId> contributing;   // other failing or warning findings, most important first
  Confidence confidence = Confidence::Medium;
  std::vector<std::string> missing_evidence;  // what would let a later run say more
};

// Reads every check's findings and produces the verdict. Pure: same input, same verdict.
Verdict diagnose(const std::vector<CheckResult>& checks);

}  // namespace tlsdoctor::diagnosis
