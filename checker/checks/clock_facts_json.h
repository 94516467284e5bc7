// The clock check's facts as the JSON report carries them, and the formats its text shares.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "checks/clock.h"

namespace tlsdoctor::checks {

// "UTC+01:00", "UTC-03:30", "UTC+00:00".
std::string format_utc_offset(std::chrono::seconds offset);

// "16 s", "250 ms", "3 h 12 min", "2 days 4 h": a duration a person reads at a glance.
std::string format_duration(std::chrono::microseconds duration);

// Everything the check saw: utc_now, build_date, timezone, rtc, kernel, ntp, trusted_time.
// Timestamps RFC 3339 UTC, durations in microseconds where the kernel gives them ("_us").
nlohmann::ordered_json clock_facts_json(const platform::ClockFacts& facts, const BuildInfo& build,
                                        const std::optional<TrustedTime>& trusted);

}  // namespace tlsdoctor::checks
