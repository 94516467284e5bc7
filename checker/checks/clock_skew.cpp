// Judges the clock's offset from a trusted time: how far, which way, and whether a zone explains it.
#include "checks/clock_skew.h"

#include <string>

#include "checks/clock_facts_json.h"
#include "core/time_format.h"

namespace tlsdoctor::checks {
namespace {

using std::chrono::duration_cast;
using std::chrono::microseconds;
using std::chrono::milliseconds;

template <typename D>
D absolute(D d) {
  return d < D::zero() ? -d : d;
}

// The whole number of zone steps nearest to `offset`.
milliseconds nearest_step(milliseconds offset) {
  const auto step = duration_cast<milliseconds>(kZoneStep);
  const auto n = (offset + (offset < milliseconds::zero() ? -step / 2 : step / 2)) / step;
  return step * n;
}

struct Explanation {
  std::string title;
  std::string fix;
};

Explanation explain_zone_step(milliseconds step, const platform::TimezoneFacts& zone) {
  const auto zone_offset = duration_cast<milliseconds>(zone.offset_now.offset);
  const auto shown = format_utc_offset(duration_cast<std::chrono::seconds>(step));
  const std::string direction = step < milliseconds::zero() ? "behind" : "ahead of";
  const std::string by = format_duration(duration_cast<microseconds>(absolute(step)));
  if (zone_offset != milliseconds::zero() && step == zone_offset) {
    return {"The system clock is " + by + " " + direction + " the correct time, exactly this time zone's offset (" +
                shown + "): the hardware clock keeps local time and was read as UTC",
            "Turn on automatic time to correct the clock now (`sudo timedatectl set-ntp true`). Then give every "
            "system on this machine one time base for the hardware clock: if Windows also runs here, make it keep "
            "UTC (registry value RealTimeIsUniversal = 1), or make this system follow it with `sudo timedatectl "
            "set-local-rtc 1`."};
  }
  if (zone_offset != milliseconds::zero() && step == -zone_offset) {
    return {"The system clock is " + by + " " + direction + " the correct time, exactly this time zone's offset (" +
                format_utc_offset(zone.offset_now.offset) + "): the hardware clock keeps UTC and was read as local time",
            "Run `sudo timedatectl set-local-rtc 0` so the hardware clock is read as UTC, then turn on automatic time "
            "with `sudo timedatectl set-ntp true`."};
  }
  return {"The system clock is exactly " + by + " " + direction +
              " the correct time: the time zone is probably wrong, and the clock was set to show local time under it",
          "Choose the right time zone (`timedatectl list-timezones`, then `sudo timedatectl set-timezone "
          "Region/City`), then turn on automatic time with `sudo timedatectl set-ntp true`, which corrects the "
          "clock itself."};
}

}  // namespace

std::optional<Finding> judge_skew(const nettime::TrustedTime& trusted, const platform::TimezoneFacts& zone,
                                  const platform::RtcFacts& rtc, std::chrono::seconds tolerance) {
  const auto offset = duration_cast<milliseconds>(trusted.local - trusted.utc);  // positive: ahead
  const auto beyond_doubt = absolute(offset) - trusted.uncertainty;
  const auto fail_beyond = std::max<milliseconds>(kClockSkewFail, tolerance);
  Severity severity;
  if (beyond_doubt > fail_beyond) {
    severity = Severity::Fail;
  } else if (beyond_doubt > tolerance) {
    severity = Severity::Warn;
  } else {
    return std::nullopt;
  }
  std::vector<Evidence> evidence{
      {"system_time", rfc3339_utc(trusted.local)},
      {"trusted_time", rfc3339_utc(trusted.utc)},
      {"trusted_source", trusted.source},
      {"skew_seconds", std::to_string(duration_cast<std::chrono::seconds>(offset).count())},
      {"uncertainty", "+/- " + format_duration(duration_cast<microseconds>(trusted.uncertainty))},
      {"tolerance_seconds", std::to_string(tolerance.count())}};

  const auto step = nearest_step(offset);
  const auto step_tolerance = std::max(duration_cast<milliseconds>(kZoneStepTolerance), trusted.uncertainty);
  if (step != milliseconds::zero() && absolute(step) <= kMaxZoneDifference && absolute(offset - step) <= step_tolerance) {
    auto why = explain_zone_step(step, zone);
    evidence.push_back({"whole_offset", format_utc_offset(duration_cast<std::chrono::seconds>(step))});
    evidence.push_back({"zone", zone.zone});
    evidence.push_back({"zone_utc_offset", format_utc_offset(zone.offset_now.offset)});
    evidence.push_back({"rtc_mode", std::string(platform::to_string(rtc.mode))});
    // Judged by the whole step, so that a clock set a few seconds either side of one hour off
    // does not flip between warn and fail.
    const auto zone_severity = absolute(step) > fail_beyond ? Severity::Fail : Severity::Warn;
    return Finding{FindingId::ClockTimezoneMismatch, zone_severity, std::move(why.title), std::move(evidence),
                   std::move(why.fix)};
  }
  const std::string direction = offset < milliseconds::zero() ? "behind" : "ahead of";
  return Finding{FindingId::ClockSkew, severity,
                 "The system clock is " + format_duration(duration_cast<microseconds>(absolute(offset))) + " " +
                     direction + " the correct time",
                 std::move(evidence), std::string(kSetClockFix)};
}

}  // namespace tlsdoctor::checks
