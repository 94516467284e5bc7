// Facts about this build of tlsdoctor: version and the build date the clock check compares with.
#pragma once

#include <chrono>
#include <string_view>

namespace tlsdoctor {

struct BuildInfo {
  std::string_view version;
  // Midnight UTC of the build day (SOURCE_DATE_EPOCH when set, for reproducible builds).
  std::chrono::system_clock::time_point build_time;
};

BuildInfo build_info();

}  // namespace tlsdoctor
