// A finding: one judgement with a stable id, a severity, evidence and a fix.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/finding_id.h"

namespace tlsdoctor {

enum class Severity { Info, Warn, Fail };

std::string_view to_string(Severity severity);

// One piece of evidence, in the order the check found it ("path" = "/etc/localtime").
struct Evidence {
  std::string key;
  std::string value;
};

struct Finding {
  FindingId id;
  Severity severity = Severity::Info;
  std::string title;               // one line, plain words: what is wrong
  std::vector<Evidence> evidence;  // what it was concluded from
  std::string fix;                 // the first thing to do about it ("" for info findings)
};

}  // namespace tlsdoctor
