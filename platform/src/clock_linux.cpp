// Clock facts on Linux: UTC now, /etc/adjtime's RTC mode, and the kernel's NTP state.
#include "platform/clock.h"

#include <sys/timex.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

#include "platform/file_read.h"
#include "platform/text.h"

namespace tlsdoctor::platform {
namespace {

constexpr std::string_view kAdjtime = "/etc/adjtime";

std::string_view kernel_state_name(int state) {
  switch (state) {
    case TIME_OK: return "TIME_OK";
    case TIME_INS: return "TIME_INS";
    case TIME_DEL: return "TIME_DEL";
    case TIME_OOP: return "TIME_OOP";
    case TIME_WAIT: return "TIME_WAIT";
    case TIME_ERROR: return "TIME_ERROR";
    default: return "unknown";
  }
}

}  // namespace

std::string_view to_string(RtcMode mode) {
  switch (mode) {
    case RtcMode::Utc: return "utc";
    case RtcMode::Local: return "local";
    case RtcMode::Unknown: return "unknown";
  }
  return "unknown";
}

RtcFacts rtc_facts(const Env& env) {
  RtcFacts facts;
  auto text = read_file(env, kAdjtime);
  if (!text) {
    // Missing is normal (systemd machines that never ran hwclock); anything else is an error.
    if (std::filesystem::exists(env.path(kAdjtime))) facts.error = text.error();
    return facts;
  }
  facts.adjtime_present = true;
  // Line 1: drift; line 2: last calibration; line 3: "UTC" or "LOCAL" (adjtime_config(5)).
  const std::string_view content = *text;
  std::vector<std::string_view> lines;
  for (std::size_t start = 0; lines.size() < 3 && start < content.size();) {
    const auto newline = content.find('\n', start);
    const auto end = newline == std::string_view::npos ? content.size() : newline;
    lines.push_back(trim(content.substr(start, end - start)));
    start = end + 1;
  }
  const std::string_view third = lines.size() >= 3 ? lines[2] : std::string_view{};
  if (third.empty() || third == "UTC") {
    facts.mode = RtcMode::Utc;  // adjtime_config(5): a missing third line means UTC
  } else if (third == "LOCAL") {
    facts.mode = RtcMode::Local;
  } else {
    facts.error = Error{std::string(kAdjtime),
                        "third line is \"" + std::string(third) + "\", expected UTC or LOCAL"};
  }
  return facts;
}

// The running kernel's state, whatever the sysroot: ntp_adjtime() with no mode bits only reads,
// and needs no privilege.
KernelSyncFacts kernel_sync_facts() {
  KernelSyncFacts facts;
  timex tx{};
  tx.modes = 0;
  const int state = ::ntp_adjtime(&tx);
  if (state == -1) {
    facts.error = Error{"ntp_adjtime()", std::strerror(errno)};
    return facts;
  }
  facts.state = state;
  facts.state_name = std::string(kernel_state_name(state));
  facts.status = static_cast<std::uint32_t>(tx.status);
  facts.unsynchronized = (tx.status & STA_UNSYNC) != 0;
  facts.max_error = std::chrono::microseconds{tx.maxerror};
  facts.estimated_error = std::chrono::microseconds{tx.esterror};
  return facts;
}

ClockFacts clock_facts(const Env& env) {
  ClockFacts facts;
  facts.utc_now = std::chrono::system_clock::now();
  facts.timezone = timezone_facts(env, facts.utc_now);
  facts.rtc = rtc_facts(env);
  facts.kernel = kernel_sync_facts();
  facts.ntp = ntp_facts(env);
  return facts;
}

}  // namespace tlsdoctor::platform
