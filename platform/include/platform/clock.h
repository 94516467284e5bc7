// Facts about this machine's clock: UTC now, time zone, hardware-clock mode, kernel sync, NTP.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/env.h"
#include "platform/error.h"

namespace tlsdoctor::platform {

// Where the zone in effect comes from, in the order the C library looks.
enum class ZoneSource {
  TzVariable,  // $TZ is set
  Localtime,   // /etc/localtime
  Default,     // neither: the C library uses UTC
};
std::string_view to_string(ZoneSource source);  // "TZ", "/etc/localtime", "default"

// The local time in effect at one instant.
struct UtcOffset {
  std::chrono::seconds offset{0};  // east of UTC: +3600 for CET
  bool dst = false;
  std::string abbreviation;  // "CET"; may be "" for an unusable zone
};

struct TimezoneFacts {
  std::optional<std::string> tz_variable;  // $TZ as set; nullopt when unset ("" means UTC)

  // /etc/localtime
  bool localtime_present = false;             // exists, even as a dangling link
  std::optional<std::string> localtime_link;  // link target as written; nullopt for a plain file
  std::optional<std::string> localtime_resolved;  // where the link chain ends (user's view)
  bool localtime_dangling = false;            // a link whose chain ends at nothing
  std::optional<std::string> localtime_zone;  // "Europe/Berlin", from the ".../zoneinfo/" target
  std::optional<bool> localtime_zone_in_database;  // that name found in /usr/share/zoneinfo

  // /etc/timezone (Debian and derivatives): the zone name written there.
  std::optional<std::string> etc_timezone;
  std::optional<bool> etc_timezone_in_database;

  // The zone in effect: TZ if set, else /etc/localtime, else UTC.
  ZoneSource source = ZoneSource::Default;
  // What the zone is called: a database name ("Europe/Berlin"), a POSIX rule ("EST5EDT"),
  // a file path, or "UTC". For a copied (not linked) /etc/localtime, the /etc/timezone name
  // when that zone's file has the same bytes, else "/etc/localtime".
  std::string zone = "UTC";
  std::optional<std::string> zone_file;   // the TZif file read for it (user's view)
  bool zone_in_database = false;          // the name is a file in the zoneinfo database
  // The C library can use it: a readable TZif file or a valid POSIX rule. When false the
  // library silently uses UTC, which is what `offset_now` then reports.
  bool zone_valid = true;
  UtcOffset offset_now;  // at ClockFacts::utc_now

  std::vector<Error> errors;  // each input that could not be read or parsed
};

// How the hardware (RTC) clock is kept, per /etc/adjtime's third line.
enum class RtcMode { Unknown, Utc, Local };
std::string_view to_string(RtcMode mode);  // "unknown", "utc", "local"

struct RtcFacts {
  bool adjtime_present = false;  // missing means unknown; systemd then assumes UTC
  RtcMode mode = RtcMode::Unknown;
  std::optional<Error> error;  // unreadable, or a third line that is neither UTC nor LOCAL
};

// The kernel's NTP state from ntp_adjtime(). Always read from the running kernel, whatever the
// sysroot: there is no file to point at a fixture.
struct KernelSyncFacts {
  std::optional<Error> error;  // ntp_adjtime failed; the other fields are then meaningless
  int state = -1;              // the return value: TIME_OK (0) ... TIME_ERROR (5)
  std::string state_name;      // "TIME_OK", "TIME_ERROR", ...
  std::uint32_t status = 0;    // the raw STA_* bits
  bool unsynchronized = true;  // STA_UNSYNC: no NTP daemon has told the kernel it is in sync
  std::chrono::microseconds max_error{0};        // maxerror: upper bound of the clock's error
  std::chrono::microseconds estimated_error{0};  // esterror
};

// One NTP client found configured or installed.
struct NtpClient {
  std::string name;                        // "systemd-timesyncd", "chrony", "ntpd", "openntpd"
  std::optional<std::string> config_path;  // the configuration file found (user's view)
  std::vector<std::string> servers;        // servers/pools the configuration names (may be empty)
  std::string unit;                        // the systemd unit looked for ("chrony.service")
  bool unit_installed = false;             // the unit file exists
  bool unit_enabled = false;               // a *.wants/ link or alias enables it
  bool unit_masked = false;                // /etc/systemd/system/<unit> -> /dev/null
};

struct NtpFacts {
  bool systemd = false;  // /etc/systemd/system exists: units decide what starts at boot
  std::vector<NtpClient> clients;
  std::vector<Error> errors;
};

struct ClockFacts {
  std::chrono::system_clock::time_point utc_now;
  TimezoneFacts timezone;
  RtcFacts rtc;
  KernelSyncFacts kernel;
  NtpFacts ntp;
};

// All of the above, for this machine (files under env.sysroot, kernel state from the kernel).
ClockFacts clock_facts(const Env& env);

// The parts, separately, for tests and for callers that need one of them.
TimezoneFacts timezone_facts(const Env& env, std::chrono::system_clock::time_point at);
RtcFacts rtc_facts(const Env& env);
KernelSyncFacts kernel_sync_facts();
NtpFacts ntp_facts(const Env& env);

}  // namespace tlsdoctor::platform
