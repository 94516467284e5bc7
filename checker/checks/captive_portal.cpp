// Judges the captive-portal page: the reference's own words, or a network's sign-in page in their place.
#include "checks/captive_portal.h"

#include <fmt/format.h>

#include "reference/protocol/protocol_version.h"

namespace tlsdoctor::checks {
namespace {

constexpr std::string_view kSignInFix =
    "Open a web browser and complete this network's sign-in or terms page (hotel, airport, guest Wi-Fi), then run "
    "tlsdoctor again; until then every HTTPS connection is cut off or intercepted by the portal.";
// What of a sign-in page goes into the evidence: enough to recognise it.
constexpr std::size_t kBodyEvidenceBytes = 200;

// The body's first bytes with control characters replaced, for a one-line evidence value.
std::string excerpt(const std::string& body) {
  std::string out = body.substr(0, kBodyEvidenceBytes);
  for (auto& c : out) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  return out;
}

}  // namespace

CheckResult judge_captive_page(const refclient::CaptivePage& page) {
  CheckResult result;
  result.facts = {{"url", page.url},
                  {"reached", page.reached},
                  {"error", page.error.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(page.error)},
                  {"http_status", page.http_status},
                  {"location", page.location},
                  {"content_type", page.content_type},
                  {"body_bytes", page.body.size()}};
  std::vector<Evidence> evidence{{"url", page.url}, {"http_status", std::to_string(page.http_status)}};
  if (!page.reached) {
    result.summary = "the page could not be fetched (" + page.error + "): no portal seen";
  } else if (page.http_status == 200 && page.body == reference::kCaptivePortalBody) {
    result.summary = "the reference's page came back unchanged: no portal";
  } else if (page.http_status >= 300 && page.http_status < 400) {
    evidence.push_back({"location", page.location});
    result.findings.push_back(Finding{FindingId::PathCaptivePortal, Severity::Fail,
                                      "This network redirects web traffic to a sign-in page (a captive portal)",
                                      std::move(evidence), std::string(kSignInFix)});
  } else if (page.http_status == 511 || page.http_status == 200) {
    evidence.push_back({"content_type", page.content_type});
    evidence.push_back({"body_start", excerpt(page.body)});
    result.findings.push_back(Finding{
        FindingId::PathCaptivePortal, Severity::Fail,
        page.http_status == 511 ? "This network asks to sign in before it lets traffic through (HTTP 511)"
                                : "Another page answers in place of the reference's: this network shows a sign-in page",
        std::move(evidence), std::string(kSignInFix)});
  } else {
    result.summary = fmt::format("the page answered HTTP {}: not a portal's answer, not the reference's page",
                                 page.http_status);
  }
  if (!result.findings.empty()) result.summary = "a captive portal answers";
  result.status = status_from_findings(result.findings);
  return result;
}

CheckResult CaptivePortalCheck::run(const Context& ctx) const {
  if (!ctx.captive_url) {
    CheckResult result;
    result.status = CheckStatus::Skip;
    result.summary = "skipped: no page to ask";
    result.error = "no captive-portal page known (--captive-url URL, or a reference)";
    return result;
  }
  return judge_captive_page(refclient::fetch_captive_page(*ctx.captive_url, ctx.captive_proxy, ctx.date_options.resolve, ctx.deadline));
}

}  // namespace tlsdoctor::checks
