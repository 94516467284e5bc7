// The clock against a trusted time: a plain skew, or a skew that is really a time zone or hardware-clock mix-up.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

#include "core/finding.h"
#include "nettime/trusted_time.h"
#include "platform/clock.h"

namespace tlsdoctor::checks {

// Skew beyond the source's uncertainty that is worth a warning: more than NTP ever leaves, and
// the tolerance Kerberos and many single sign-on systems allow, so it already breaks logins.
inline constexpr std::chrono::minutes kClockSkewWarn{5};
// Skew that breaks TLS: certificate authorities backdate a new certificate's start by about an
// hour (Let's Encrypt: one hour), so a clock further behind rejects freshly renewed sites.
inline constexpr std::chrono::hours kClockSkewFail{1};
// What to do about a clock that is simply wrong (also clock.before_build's fix).
inline constexpr std::string_view kSetClockFix =
    "Set the correct date and time, then turn on automatic time: run `sudo timedatectl set-ntp "
    "true` (or set it by hand with `sudo timedatectl set-time 'YYYY-MM-DD HH:MM:SS'`).";
// Time zones are whole quarter hours from UTC (Nepal +05:45, Chatham +12:45), and two zones are
// at most 26 hours apart (UTC-12 to UTC+14).
inline constexpr std::chrono::minutes kZoneStep{15};
inline constexpr std::chrono::hours kMaxZoneDifference{26};
// How close to a whole zone step a skew must be to read as a zone mix-up: a clock set by hand
// to the right local time is a minute or so out (widened to the source's uncertainty).
inline constexpr std::chrono::seconds kZoneStepTolerance{90};

// clock.timezone_mismatch when the skew is a whole number of quarter hours (within the
// tolerance): the machine shows the right local time under the wrong zone, or its hardware clock
// is read in the wrong time base (the skew then equals this zone's UTC offset, either sign).
// Otherwise clock.skew. Nothing within `tolerance` (kClockSkewWarn unless a policy sets
// clock.tolerance_seconds) plus the source's uncertainty; a fail beyond kClockSkewFail (or the
// tolerance, when a policy allows more).
std::optional<Finding> judge_skew(const nettime::TrustedTime& trusted, const platform::TimezoneFacts& zone,
                                  const platform::RtcFacts& rtc, std::chrono::seconds tolerance = kClockSkewWarn);

}  // namespace tlsdoctor::checks
