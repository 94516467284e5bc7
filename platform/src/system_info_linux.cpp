// System facts on Linux: os-release(5) under the sysroot, uname(2), and the user's name.
#include "platform/system_info.h"

#include <pwd.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <map>

#include "platform/file_read.h"
#include "platform/os_release.h"

namespace tlsdoctor::platform {
namespace {

// os-release(5): /etc/os-release wins; /usr/lib/os-release is the vendor's fallback.
constexpr std::array<std::string_view, 2> kOsReleasePaths{"/etc/os-release", "/usr/lib/os-release"};
// getpwuid_r's buffer: glibc's sysconf(_SC_GETPW_R_SIZE_MAX) suggests 1024; entries with long
// GECOS fields or NSS modules can need more, 16 KB covers them.
constexpr std::size_t kPasswdBufferBytes = 16 * 1024;

std::string value_of(const std::map<std::string, std::string, std::less<>>& values, std::string_view key) {
  auto it = values.find(key);
  return it == values.end() ? std::string() : it->second;
}

void read_os_release(const Env& env, SystemInfo& info) {
  std::optional<Error> first_error;
  for (const auto path : kOsReleasePaths) {
    auto text = read_file(env, path);
    if (!text) {
      if (!first_error) first_error = text.error();
      continue;
    }
    const auto values = parse_os_release(*text);
    info.os_release_path = std::string(path);
    info.os_id = value_of(values, "ID");
    info.os_id_like = value_of(values, "ID_LIKE");
    info.os_name = value_of(values, "NAME");
    info.os_version = value_of(values, "VERSION_ID");
    info.os_pretty_name = value_of(values, "PRETTY_NAME");
    // os-release(5): ID defaults to "linux", NAME to "Linux" when the file leaves them out.
    if (info.os_id.empty()) info.os_id = "linux";
    if (info.os_name.empty()) info.os_name = "Linux";
    return;
  }
  info.errors.push_back(*first_error);
}

void read_uname(SystemInfo& info) {
  utsname names{};
  if (::uname(&names) != 0) {
    info.errors.push_back(Error{"uname()", std::strerror(errno)});
    return;
  }
  info.kernel_name = names.sysname;
  info.kernel_release = names.release;
  info.architecture = names.machine;
  info.host_name = names.nodename;
}

void read_user(const Env& env, SystemInfo& info) {
  for (const char* name : {"USER", "LOGNAME"}) {
    if (auto v = env.var(name); v && !v->empty()) {
      info.user_name = *v;
      return;
    }
  }
  std::string buffer(kPasswdBufferBytes, '\0');
  passwd entry{};
  passwd* found = nullptr;
  if (::getpwuid_r(::geteuid(), &entry, buffer.data(), buffer.size(), &found) == 0 && found != nullptr &&
      found->pw_name != nullptr) {
    info.user_name = found->pw_name;
  }
}

}  // namespace

SystemInfo system_info(const Env& env) {
  SystemInfo info;
  read_os_release(env, info);
  read_uname(info);
  read_user(env, info);
  return info;
}

}  // namespace tlsdoctor::platform
