// Reading one trust source (a bundle file or a directory of certificates) into a TrustSource.
#pragma once

#include <filesystem>
#include <string_view>

#include "platform/env.h"
#include "platform/trust_store.h"

namespace tlsdoctor::platform::detail {

// Which files of a directory count, the way each consumer of that directory picks them.
enum class DirectoryFiles {
  SubjectHashNames,  // OpenSSL's lookup: "<8 hex digits>.<n>" only
  CrtRecursive,      // update-ca-certificates: "*.crt", subdirectories included
  AnyFile,           // p11-kit anchors and blocklists: every regular file, PEM or DER
};

// `absolute` with its symbolic links followed inside the sysroot, as a path under the sysroot
// (unresolved when a link loops, so that the read then reports the error).
std::filesystem::path real_path(const Env& env, std::string_view absolute);

// Reads `absolute` (PEM bundle or one DER certificate) into `source`: certificates, malformed
// blocks, status and error. `source.path` should already be set.
void read_bundle_file(const Env& env, std::string_view absolute, TrustSource& source);

// Reads the files of directory `absolute` that `which` selects.
void read_certificate_directory(const Env& env, std::string_view absolute, DirectoryFiles which,
                                TrustSource& source);

// Appends the certificates found in `data` (PEM text or one DER certificate) read from `file`.
void append_certificates(std::string_view data, const std::string& file, TrustSource& source);

}  // namespace tlsdoctor::platform::detail
