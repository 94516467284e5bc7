// Writing files, links and generated trust-store material into a test sysroot.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "lab/cert_factory.h"

namespace tlsdoctor::lab {

// Writes `content` at `absolute` ("/etc/ssl/certs/x.pem") under `root`, creating directories.
tl::expected<void, LabError> write_under(const std::filesystem::path& root, std::string_view absolute,
                                         const std::string& content);

// Makes `absolute` under `root` a symbolic link to `target` (kept verbatim, so an absolute
// target points into the sysroot only for readers that re-root it), replacing what was there.
tl::expected<void, LabError> link_under(const std::filesystem::path& root, std::string_view absolute,
                                        std::string_view target);

// "<subject hash>.<sequence>": the name OpenSSL looks a CA up by in a hashed directory.
std::string subject_hash_name(const Credential& credential, int sequence = 0);

// Mozilla's roots as Debian's ca-certificates ships them on this machine
// (/usr/share/ca-certificates/mozilla/*.crt, concatenated in name order), or nullopt when the
// package is not installed.
std::optional<std::string> debian_mozilla_bundle();

// Lays out a Debian-style store under `root`: `bundle_pem` as /etc/ssl/certs/ca-certificates.crt,
// a subject-hash file in /etc/ssl/certs for each of `hashed`, and OpenSSL's default paths
// /usr/lib/ssl/cert.pem and /usr/lib/ssl/certs as absolute links, as Debian has them.
tl::expected<void, LabError> lay_out_debian_store(const std::filesystem::path& root, const std::string& bundle_pem,
                                                  const std::vector<const Credential*>& hashed);

}  // namespace tlsdoctor::lab
