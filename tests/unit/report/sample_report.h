// A report with one check of each status, shared by the renderer and redaction tests.
#pragma once

#include "report/report.h"

namespace tlsdoctor::report::test {

inline Report sample_report() {
  Report r;
  r.tool.version = "0.1.0";
  r.run.id = "0123456789abcdef";
  r.run.start = std::chrono::system_clock::time_point{std::chrono::seconds{1700000000}};
  r.run.duration = std::chrono::milliseconds{42};
  r.system = {"Debian GNU/Linux", "12 (bookworm)", "x86_64", "6.1.0", "myhost", "alice"};

  CheckResult clock;
  clock.id = "clock";
  clock.title = "Clock and timezone";
  clock.summary = "UTC 2023-11-14 22:13, Europe/Berlin (UTC+01:00)";
  clock.findings.push_back(Finding{FindingId::ClockUnsynchronized, Severity::Warn,
                                   "The clock is not kept in sync with a time server",
                                   {{"maxerror_us", "16000000"}},
                                   "Turn on automatic time: timedatectl set-ntp true"});
  clock.status = status_from_findings(clock.findings);
  clock.facts = {{"timezone", "Europe/Berlin"}, {"home_tz", "/home/alice/.tz"}};

  CheckResult proxy;
  proxy.id = "proxy";
  proxy.title = "Proxy settings";
  proxy.summary = "https via http://bob:secret@10.1.2.3:3128 (env)";
  proxy.findings.push_back(Finding{FindingId::ProxyUnreachable, Severity::Fail,
                                   "The proxy at 10.1.2.3:3128 does not accept connections",
                                   {{"proxy", "http://bob:secret@10.1.2.3:3128"}, {"host", "myhost"}},
                                   "Check the proxy address with your IT department"});
  proxy.status = status_from_findings(proxy.findings);
  proxy.facts = {{"sources", {{{"name", "env"}, {"url", "http://bob:secret@10.1.2.3:3128"}}}}};

  CheckResult trust;
  trust.id = "trust_store";
  trust.title = "Trust store";
  trust.status = CheckStatus::Error;
  trust.error = "could not read /home/alice/.pki/nssdb";

  r.checks = {clock, proxy, trust};
  r.verdict = diagnosis::diagnose(r.checks);
  r.redacted = false;
  return r;
}

}  // namespace tlsdoctor::report::test
