// File helpers the Linux TLS policy readers share: sysroot-aware reads and directory listings.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "platform/env.h"
#include "platform/error.h"
#include "platform/tls_policy.h"

namespace tlsdoctor::platform::tls_policy_detail {

// `absolute` under env.sysroot with every symbolic link followed, absolute targets re-rooted at
// the sysroot (a fixture's /usr/lib/ssl/openssl.cnf -> /etc/ssl/openssl.cnf stays in the fixture).
// Returns the path under the sysroot; an unresolvable chain comes back as far as it got.
std::filesystem::path real_policy_path(const Env& env, std::string_view absolute);

// A file read through the sysroot with its symbolic links followed.
struct PolicyFile {
  std::string shown;  // the real file as the user sees it ("/etc/ssl/openssl.cnf")
  std::string text;
};

// Reads `absolute`; an absent file is nullopt, a file that exists but cannot be read an Error.
tl::expected<std::optional<PolicyFile>, Error> read_policy_file(const Env& env, std::string_view absolute);

bool exists_in_sysroot(const Env& env, std::string_view absolute);

// Names (not paths) of the entries of a directory, sorted; nullopt when it is not a directory.
std::optional<std::vector<std::string>> list_directory(const Env& env, std::string_view absolute);

// Per-JDK java.security reading (tls_policy_java_linux.cpp); `crypto_policies_java` is
// crypto-policies' java.config, which a JDK that includes it reads on top.
std::vector<JavaSecurityPolicy> read_java_policies(const Env& env,
                                                   const std::optional<JavaSecurityPolicy>& crypto_policies_java);

// Browser enterprise policy files (tls_policy_browsers_linux.cpp).
std::vector<BrowserPolicy> read_browser_policies(const Env& env);

}  // namespace tlsdoctor::platform::tls_policy_detail
