// The captive-portal check: does a known plain-HTTP page come back as itself, or does a sign-in page answer instead.
#pragma once

#include "checks/check.h"
#include "refclient/captive_fetch.h"

namespace tlsdoctor::checks {

// path.captive_portal (fail) for a redirect, 511, or a 200 whose body is not the reference's
// page; nothing for the page itself; nothing either, with the reason in the summary, when the
// page could not be fetched or another status came back (that alone proves no portal).
CheckResult judge_captive_page(const refclient::CaptivePage& page);

class CaptivePortalCheck : public Check {
 public:
  std::string_view id() const override { return "captive_portal"; }
  std::string_view title() const override { return "Captive portal"; }
  // Skips without a page to ask (Context::captive_url).
  CheckResult run(const Context& ctx) const override;
};

}  // namespace tlsdoctor::checks
