// The HTML rendering: one self-contained page (no scripts, no outside assets), readable on a phone and printable.
#pragma once

#include <string>

#include "report/report.h"

namespace tlsdoctor::report {

// The verdict first, then a row per check (status, title, summary) with its findings (title,
// fix, evidence folded in <details>), then the details: each target's handshake (outcome, chain
// as sent, ClientHello fingerprints), the proxy sources and the policy. All text is escaped;
// CSS is inline; nothing loads from anywhere. The report is rendered as given (redacted by
// default, before any renderer runs).
std::string render_html(const Report& report);

}  // namespace tlsdoctor::report
