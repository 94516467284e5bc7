// Facts about the operating system: os-release, kernel, architecture, and who and where we run.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "platform/env.h"
#include "platform/error.h"

namespace tlsdoctor::platform {

struct SystemInfo {
  // From /etc/os-release (or /usr/lib/os-release); "" when the file does not say.
  std::string os_id;            // ID: "debian", "rhel", "ubuntu"
  std::string os_id_like;       // ID_LIKE: "rhel fedora"
  std::string os_name;          // NAME: "Debian GNU/Linux"
  std::string os_version;       // VERSION_ID: "12"
  std::string os_pretty_name;   // PRETTY_NAME: "Debian GNU/Linux 12 (bookworm)"
  std::optional<std::string> os_release_path;  // which file was read (user's view)

  // From uname() of the running kernel, whatever the sysroot.
  std::string kernel_name;     // "Linux"
  std::string kernel_release;  // "6.1.0-18-amd64"
  std::string architecture;    // "x86_64", "aarch64"

  // Kept only so the report can redact them wherever they appear; never shown unredacted by
  // default. Host: uname's nodename. User: $USER, then $LOGNAME, then the passwd entry.
  std::string host_name;
  std::string user_name;

  std::vector<Error> errors;
};

SystemInfo system_info(const Env& env);

}  // namespace tlsdoctor::platform
