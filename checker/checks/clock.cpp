// The clock check's judgement: build date, trusted-time skew, sync state, NTP, time zone, RTC mode.
#include "checks/clock.h"

#include <algorithm>

#include "checks/clock_facts_json.h"
#include "nettime/network_time.h"
#include "core/time_format.h"

namespace tlsdoctor::checks {
namespace {

using std::chrono::duration_cast;
using std::chrono::microseconds;

constexpr std::string_view kEnableNtpFix =
    "Turn on automatic time: run `sudo timedatectl set-ntp true` (if it says no NTP service is "
    "installed, install systemd-timesyncd or chrony first).";

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// The command that shows why a given client is not synchronising, ready to quote.
std::string_view status_command(std::string_view client) {
  if (client == "systemd-timesyncd") return "`timedatectl timesync-status`";
  if (client == "chrony") return "`chronyc tracking` and `chronyc sources`";
  if (client == "ntpd") return "`ntpq -p`";
  if (client == "openntpd") return "`ntpctl -s status`";
  return "`timedatectl`";
}

std::optional<Finding> before_build(const platform::ClockFacts& facts, const BuildInfo& build) {
  // Chromium's rule: a binary cannot run before the day it was built, so such a clock is wrong.
  if (facts.utc_now >= build.build_time) return std::nullopt;
  return Finding{FindingId::ClockBeforeBuild, Severity::Fail,
                 "The system clock is set to a date before this tlsdoctor was built, so it is "
                 "certainly wrong",
                 {{"system_time", rfc3339_utc(facts.utc_now)},
                  {"build_date", rfc3339_utc(build.build_time)},
                  {"tlsdoctor_version", std::string(build.version)}},
                 std::string(kSetClockFix)};
}

std::optional<Finding> unsynchronized(const platform::KernelSyncFacts& kernel,
                                      const std::vector<std::string>& in_use) {
  if (kernel.error || !kernel.unsynchronized) return std::nullopt;
  Finding f{FindingId::ClockUnsynchronized, Severity::Warn,
            "The system clock is not synchronised with a time server",
            {{"kernel_state", kernel.state_name},
             {"kernel_status", "STA_UNSYNC set"},
             {"max_error", format_duration(kernel.max_error)},
             {"estimated_error", format_duration(kernel.estimated_error)},
             {"ntp_client", in_use.empty() ? "none" : join(in_use)}},
            ""};
  if (in_use.empty()) {
    f.fix = std::string(kEnableNtpFix);
  } else {
    f.fix = "Check why " + in_use.front() + " is not synchronising: run " +
            std::string(status_command(in_use.front())) +
            " and make sure its time servers are reachable (UDP port 123).";
  }
  return f;
}

std::optional<Finding> ntp_not_configured(const platform::ClockFacts& facts,
                                          const std::vector<std::string>& in_use) {
  if (!in_use.empty()) return std::nullopt;
  std::vector<std::string> found;
  for (const auto& c : facts.ntp.clients) {
    found.push_back(c.name + (c.unit_masked ? " (masked)" : c.unit_enabled ? "" : " (not enabled)"));
  }
  std::vector<Evidence> evidence{{"clients_found", found.empty() ? "none" : join(found)}};
  // A synchronised kernel without a client of ours means the host or hypervisor keeps time
  // (containers, some VMs): worth knowing, nothing to fix.
  if (!facts.kernel.error && !facts.kernel.unsynchronized) {
    evidence.push_back({"kernel_state", "synchronised"});
    return Finding{FindingId::ClockNtpNotConfigured, Severity::Info,
                   "No NTP client is set up here; something outside this system keeps the clock "
                   "synchronised",
                   std::move(evidence), ""};
  }
  return Finding{FindingId::ClockNtpNotConfigured, Severity::Warn,
                 "No time synchronisation (NTP) client is set up, so nothing keeps the clock right",
                 std::move(evidence), std::string(kEnableNtpFix)};
}

// A broken zone does not break certificate checks (they use UTC), hence a warning, not a
// failure: but programs then show UTC as local time, and users "correct" the clock by hand
// by the missing offset, which moves UTC by hours and does break TLS.
std::optional<Finding> timezone_invalid(const platform::TimezoneFacts& tz) {
  std::vector<std::pair<std::string, std::string>> problems;  // title, fix
  const std::string reset_zone =
      "Set the time zone again with `sudo timedatectl set-timezone Region/City` (`timedatectl "
      "list-timezones` lists them); if that list is empty, install the tzdata package first.";
  if (tz.source == platform::ZoneSource::TzVariable && !tz.zone_valid) {
    problems.emplace_back("The TZ variable names a time zone that does not exist",
                          "Correct or remove the TZ variable where it is set (shell profile, "
                          "/etc/environment or the service's unit); a valid value looks like "
                          "Europe/Berlin.");
  }
  if (tz.localtime_dangling) {
    problems.emplace_back("/etc/localtime points to a time zone that is not installed", reset_zone);
  } else if (tz.source == platform::ZoneSource::Localtime && !tz.zone_valid) {
    problems.emplace_back("/etc/localtime is not a valid time zone file", reset_zone);
  } else if (tz.localtime_zone_in_database == false) {
    problems.emplace_back("/etc/localtime names a time zone missing from the time zone database",
                          reset_zone);
  }
  if (tz.etc_timezone_in_database == false) {
    problems.emplace_back("/etc/timezone names a time zone that does not exist", reset_zone);
  }
  if (problems.empty()) return std::nullopt;

  // Evidence is a key/value object in the report: one key each, several problems joined.
  std::string all_problems;
  for (const auto& p : problems) all_problems += (all_problems.empty() ? "" : "; ") + p.first;
  std::vector<Evidence> evidence{{"problems", all_problems}};
  if (tz.tz_variable) evidence.push_back({"tz_variable", *tz.tz_variable});
  if (tz.localtime_link) {
    evidence.push_back({"localtime_link", "/etc/localtime -> " + *tz.localtime_link +
                                              (tz.localtime_dangling ? " (missing)" : "")});
  }
  if (tz.etc_timezone) evidence.push_back({"etc_timezone", *tz.etc_timezone});
  std::string errors;
  for (const auto& e : tz.errors) errors += (errors.empty() ? "" : "; ") + e.input + ": " + e.message;
  if (!errors.empty()) evidence.push_back({"read_errors", errors});
  if (!tz.zone_valid) evidence.push_back({"in_effect", "UTC (the C library's fallback)"});
  return Finding{FindingId::ClockTimezoneInvalid, Severity::Warn, problems.front().first,
                 std::move(evidence), problems.front().second};
}

std::optional<Finding> rtc_local_time(const platform::ClockFacts& facts) {
  if (facts.rtc.mode != platform::RtcMode::Local) return std::nullopt;
  return Finding{FindingId::ClockRtcLocalTime, Severity::Warn,
                 "The hardware clock keeps local time instead of UTC, so the clock can be off by "
                 "the time zone's offset after a restart or a daylight-saving change",
                 {{"adjtime", "/etc/adjtime says LOCAL"},
                  {"zone", facts.timezone.zone},
                  {"utc_offset", format_utc_offset(facts.timezone.offset_now.offset)}},
                 "Run `sudo timedatectl set-local-rtc 0` so the hardware clock keeps UTC; if "
                 "Windows also runs on this machine, make Windows keep UTC too (registry value "
                 "RealTimeIsUniversal = 1)."};
}

std::string minute_utc(std::chrono::system_clock::time_point t) {
  const auto stamp = rfc3339_utc(t);  // "2026-11-22T07:40:12Z"
  return stamp.substr(0, 10) + " " + stamp.substr(11, 5);
}

std::string summarize(const platform::ClockFacts& facts, const std::vector<std::string>& in_use) {
  const auto& tz = facts.timezone;
  std::string zone = tz.zone_valid
                         ? tz.zone + " (" + format_utc_offset(tz.offset_now.offset) + ")"
                         : "time zone broken (" + tz.zone + "; using UTC)";
  std::string sync;
  if (facts.kernel.error) {
    sync = "synchronisation unknown";
  } else if (facts.kernel.unsynchronized) {
    sync = "not synchronised";
  } else {
    sync = in_use.empty() ? "synchronised" : "synchronised by " + in_use.front();
  }
  return "UTC " + minute_utc(facts.utc_now) + ", " + zone + ", " + sync;
}

}  // namespace

std::vector<std::string> ntp_clients_in_use(const platform::NtpFacts& ntp) {
  std::vector<std::string> names;
  for (const auto& c : ntp.clients) {
    if (c.unit_masked) continue;
    if (c.unit_enabled || (!ntp.systemd && c.config_path)) names.push_back(c.name);
  }
  return names;
}

CheckResult evaluate_clock(const platform::ClockFacts& facts, const BuildInfo& build,
                           const std::optional<TrustedTime>& trusted, std::chrono::seconds tolerance) {
  const auto in_use = ntp_clients_in_use(facts.ntp);
  CheckResult result;
  result.id = "clock";
  result.title = "Clock and timezone";
  // Most decisive first: a clock known to be wrong matters more than how it is kept right.
  for (auto finding : {before_build(facts, build),
                       trusted ? judge_skew(*trusted, facts.timezone, facts.rtc, tolerance) : std::nullopt,
                       unsynchronized(facts.kernel, in_use), ntp_not_configured(facts, in_use),
                       timezone_invalid(facts.timezone), rtc_local_time(facts)}) {
    if (finding) result.findings.push_back(std::move(*finding));
  }
  result.status = status_from_findings(result.findings);
  result.summary = summarize(facts, in_use);
  result.facts = clock_facts_json(facts, build, trusted);
  return result;
}

CheckResult ClockCheck::run(const Context& ctx) const {
  const auto facts = platform::clock_facts(ctx.env);
  const auto network =
      nettime::find_network_time(nettime::TimeSources{ctx.reference, ctx.date_sources, ctx.date_options}, ctx.deadline);
  auto result = evaluate_clock(facts, ctx.build, network.time, ctx.policy.clock_tolerance.value_or(kClockSkewWarn));
  result.facts["time_sources"] = network.facts;
  return result;
}

}  // namespace tlsdoctor::checks
