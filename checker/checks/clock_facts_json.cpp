// Turns the clock facts into the report's JSON, and formats offsets and durations for people.
#include "checks/clock_facts_json.h"

#include <cstdio>
#include <cstdlib>

#include "core/time_format.h"

namespace tlsdoctor::checks {
namespace {

using Json = nlohmann::ordered_json;

template <typename T>
Json or_null(const std::optional<T>& value) {
  return value ? Json(*value) : Json(nullptr);
}

Json errors_json(const std::vector<platform::Error>& errors) {
  Json list = Json::array();
  for (const auto& e : errors) list.push_back(Json{{"input", e.input}, {"message", e.message}});
  return list;
}

Json error_json(const std::optional<platform::Error>& error) {
  if (!error) return nullptr;
  return Json{{"input", error->input}, {"message", error->message}};
}

Json timezone_json(const platform::TimezoneFacts& tz) {
  return Json{
      {"source", std::string(platform::to_string(tz.source))},
      {"zone", tz.zone},
      {"zone_file", or_null(tz.zone_file)},
      {"in_database", tz.zone_in_database},
      {"valid", tz.zone_valid},
      {"utc_offset", format_utc_offset(tz.offset_now.offset).substr(3)},
      {"utc_offset_seconds", tz.offset_now.offset.count()},
      {"dst", tz.offset_now.dst},
      {"abbreviation", tz.offset_now.abbreviation},
      {"tz_variable", or_null(tz.tz_variable)},
      {"localtime",
       Json{{"present", tz.localtime_present},
            {"link", or_null(tz.localtime_link)},
            {"resolved", or_null(tz.localtime_resolved)},
            {"dangling", tz.localtime_dangling},
            {"zone", or_null(tz.localtime_zone)},
            {"in_database", or_null(tz.localtime_zone_in_database)}}},
      {"etc_timezone",
       Json{{"zone", or_null(tz.etc_timezone)}, {"in_database", or_null(tz.etc_timezone_in_database)}}},
      {"errors", errors_json(tz.errors)},
  };
}

Json kernel_json(const platform::KernelSyncFacts& k) {
  if (k.error) {
    return Json{{"synchronized", nullptr},      {"state", nullptr},
                {"status", nullptr},            {"max_error_us", nullptr},
                {"estimated_error_us", nullptr}, {"error", error_json(k.error)}};
  }
  char status[16];
  std::snprintf(status, sizeof status, "0x%04x", k.status);
  return Json{
      {"synchronized", !k.unsynchronized},
      {"state", k.state_name},
      {"status", status},
      {"max_error_us", k.max_error.count()},
      {"estimated_error_us", k.estimated_error.count()},
      {"error", nullptr},
  };
}

Json ntp_json(const platform::NtpFacts& ntp) {
  Json clients = Json::array();
  for (const auto& c : ntp.clients) {
    clients.push_back(Json{
        {"name", c.name},
        {"config", or_null(c.config_path)},
        {"servers", c.servers},
        {"unit", c.unit},
        {"installed", c.unit_installed},
        {"enabled", c.unit_enabled},
        {"masked", c.unit_masked},
    });
  }
  return Json{{"systemd", ntp.systemd},
              {"clients", std::move(clients)},
              {"in_use", ntp_clients_in_use(ntp)},
              {"errors", errors_json(ntp.errors)}};
}

}  // namespace

std::string format_utc_offset(std::chrono::seconds offset) {
  const auto total = offset.count();
  const auto magnitude = std::llabs(total);
  char buf[32];
  std::snprintf(buf, sizeof buf, "UTC%c%02lld:%02lld", total < 0 ? '-' : '+', magnitude / 3600,
                (magnitude % 3600) / 60);
  return buf;
}

std::string format_duration(std::chrono::microseconds duration) {
  using namespace std::chrono;
  const auto us = std::llabs(duration.count());
  const auto s = us / 1'000'000;
  if (s == 0) return std::to_string(us / 1000) + " ms";
  if (s < 120) return std::to_string(s) + " s";
  const auto min = s / 60;
  if (min < 60) return std::to_string(min) + " min";
  const auto h = min / 60;
  if (h < 48) return std::to_string(h) + " h" + (min % 60 ? " " + std::to_string(min % 60) + " min" : "");
  const auto d = h / 24;
  return std::to_string(d) + " days" + (h % 24 ? " " + std::to_string(h % 24) + " h" : "");
}

nlohmann::ordered_json clock_facts_json(const platform::ClockFacts& facts, const BuildInfo& build,
                                        const std::optional<TrustedTime>& trusted) {
  Json trusted_json = nullptr;
  if (trusted) {
    trusted_json = Json{{"utc", rfc3339_utc(trusted->utc)},
                        {"local", rfc3339_utc(trusted->local)},
                        {"uncertainty_ms", trusted->uncertainty.count()},
                        {"source", trusted->source}};
  }
  return Json{
      {"utc_now", rfc3339_utc(facts.utc_now)},
      {"build_date", rfc3339_utc(build.build_time)},
      {"timezone", timezone_json(facts.timezone)},
      {"rtc",
       Json{{"mode", std::string(platform::to_string(facts.rtc.mode))},
            {"adjtime_present", facts.rtc.adjtime_present},
            {"error", error_json(facts.rtc.error)}}},
      {"kernel", kernel_json(facts.kernel)},
      {"ntp", ntp_json(facts.ntp)},
      {"trusted_time", std::move(trusted_json)},
  };
}

}  // namespace tlsdoctor::checks
