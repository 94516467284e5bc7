// Sysroot writing helpers and Debian-style trust store layouts for tests.
#include "lab/sysroot_files.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <system_error>

namespace tlsdoctor::lab {
namespace {

std::filesystem::path under(const std::filesystem::path& root, std::string_view absolute) {
  return root / std::filesystem::path(absolute).relative_path();
}

}  // namespace

tl::expected<void, LabError> write_under(const std::filesystem::path& root, std::string_view absolute,
                                         const std::string& content) {
  const auto path = under(root, absolute);
  std::error_code ec;
  if (std::filesystem::is_symlink(std::filesystem::symlink_status(path, ec))) std::filesystem::remove(path, ec);
  return write_file(path, content);
}

tl::expected<void, LabError> link_under(const std::filesystem::path& root, std::string_view absolute,
                                        std::string_view target) {
  const auto path = under(root, absolute);
  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  std::filesystem::remove(path, ec);
  std::filesystem::create_symlink(std::filesystem::path(target), path, ec);
  if (ec) return tl::unexpected("cannot link " + path.string() + ": " + ec.message());
  return {};
}

std::string subject_hash_name(const Credential& credential, int sequence) {
  char name[32];
  std::snprintf(name, sizeof name, "%08lx.%d", X509_subject_name_hash(credential.cert.get()), sequence);
  return name;
}

std::optional<std::string> debian_mozilla_bundle() {
  const std::filesystem::path dir = "/usr/share/ca-certificates/mozilla";
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return std::nullopt;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().extension() == ".crt") files.push_back(entry.path());
  }
  if (files.empty()) return std::nullopt;
  std::sort(files.begin(), files.end());
  std::string bundle;
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    bundle += text.str();
    if (!bundle.empty() && bundle.back() != '\n') bundle += '\n';
  }
  return bundle;
}

tl::expected<void, LabError> lay_out_debian_store(const std::filesystem::path& root, const std::string& bundle_pem,
                                                  const std::vector<const Credential*>& hashed) {
  if (auto ok = write_under(root, "/etc/ssl/certs/ca-certificates.crt", bundle_pem); !ok) return ok;
  for (const auto* credential : hashed) {
    if (auto ok = write_under(root, "/etc/ssl/certs/" + subject_hash_name(*credential), credential->cert_pem()); !ok) {
      return ok;
    }
  }
  if (auto ok = link_under(root, "/usr/lib/ssl/cert.pem", "/etc/ssl/certs/ca-certificates.crt"); !ok) return ok;
  return link_under(root, "/usr/lib/ssl/certs", "/etc/ssl/certs");
}

}  // namespace tlsdoctor::lab
