// Redaction: removes what identifies a person or network from a report before any renderer runs.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "report/report.h"

namespace tlsdoctor::report {

// What to look for. Empty fields are ignored.
struct RedactionSubjects {
  std::string user;  // login name
  std::string host;  // host name (short or fully qualified)
  std::string home;  // home directory
};

// Placeholders written in place of what was removed.
inline constexpr std::string_view kRedactedUser = "<user>";
inline constexpr std::string_view kRedactedHost = "<host>";
inline constexpr std::string_view kRedactedCredentials = "***";
inline constexpr std::string_view kRedactedPrivateAddress = "<private-address>";
inline constexpr std::string_view kRedactedMacAddress = "<mac-address>";
inline constexpr std::string_view kRedactedQuery = "<query>";

// One string: home paths become "~", the user and host names become placeholders where they
// stand as whole words, URL user:password parts become "***", a URL's query or fragment becomes
// "<query>" (after its '?' or '#'), private and link-local IPv4 and IPv6 addresses become
// "<private-address>", MAC addresses "<mac-address>". Login names that identify nobody ("root")
// are left.
std::string redact_text(std::string_view text, const RedactionSubjects& subjects);

// Every free-text string of the report (titles, evidence, fixes, summaries, facts, options,
// probes, errors) through redact_text; system.host and system.user replaced outright.
void redact(Report& report, const RedactionSubjects& subjects);

}  // namespace tlsdoctor::report
