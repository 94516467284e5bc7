// Reads bundle files and certificate directories into TrustSource facts, bounded by the limits.
#include "trust_source_reader.h"

#include <algorithm>
#include <system_error>

#include "platform/file_read.h"
#include "platform/pem.h"
#include "platform/sysroot_path.h"

namespace tlsdoctor::platform::detail {
namespace {

namespace fs = std::filesystem;

bool is_subject_hash_name(std::string_view name) {
  if (name.size() < 10 || name[8] != '.') return false;
  for (std::size_t i = 0; i < 8; ++i) {
    const char c = name[i];
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return std::all_of(name.begin() + 9, name.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool looks_like_certificate_file(std::string_view name) {
  return name.ends_with(".pem") || name.ends_with(".crt") || name.ends_with(".cer");
}

bool selected(std::string_view name, DirectoryFiles which) {
  switch (which) {
    case DirectoryFiles::SubjectHashNames: return is_subject_hash_name(name);
    case DirectoryFiles::CrtRecursive: return name.ends_with(".crt");
    case DirectoryFiles::AnyFile: return !name.starts_with(".");
  }
  return false;
}

void finish_status(TrustSource& source, std::string_view empty_reason) {
  if (!source.certificates.empty()) {
    source.status = TrustSourceStatus::Ok;
  } else {
    source.status = TrustSourceStatus::Empty;
    if (source.error.empty()) {
      source.error = source.malformed.empty() ? std::string(empty_reason)
                                              : "holds only damaged certificates";
    }
  }
}

// Lists the entries of `dir` (sorted, for stable facts), descending when `recursive`.
void list_entries(const fs::path& dir, bool recursive, int depth, std::vector<fs::path>& out,
                  bool& truncated, std::error_code& first_error) {
  std::error_code ec;
  std::vector<fs::directory_entry> entries;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    entries.push_back(*it);
  }
  if (ec && !first_error) first_error = ec;
  std::sort(entries.begin(), entries.end(),
            [](const auto& a, const auto& b) { return a.path().filename() < b.path().filename(); });
  for (const auto& entry : entries) {
    if (out.size() >= kMaxFilesPerTrustDirectory) {
      truncated = true;
      return;
    }
    // The type comes from readdir, so this costs no system call; links (Debian's store is
    // mostly links) are never descended into, which also rules out loops.
    std::error_code type_ec;
    const bool is_dir = !entry.is_symlink(type_ec) && entry.is_directory(type_ec);
    if (is_dir) {
      if (recursive && depth < kMaxTrustDirectoryDepth) {
        list_entries(entry.path(), recursive, depth + 1, out, truncated, first_error);
      }
      continue;
    }
    out.push_back(entry.path());
  }
}

}  // namespace

fs::path real_path(const Env& env, std::string_view absolute) {
  const auto resolved = resolve_in_sysroot(env, absolute);
  return env.path(resolved ? resolved->path : std::string(absolute));
}

void append_certificates(std::string_view data, const std::string& file, TrustSource& source) {
  if (looks_like_der(data)) {
    if (source.certificates.size() >= kMaxCertificatesPerTrustSource) {
      source.truncated = true;
      return;
    }
    source.certificates.push_back(
        TrustCertificate{std::vector<std::uint8_t>(data.begin(), data.end()), file, 0, {}, {}});
    return;
  }
  // Other blocks (CRLs, keys) share the file, so allow for them beyond the certificate limit.
  const auto blocks = split_pem(data, 2 * kMaxCertificatesPerTrustSource);
  for (const auto& block : blocks) {
    if (!block.error.empty()) {
      // Any damaged block counts, whatever its label: OpenSSL's bundle reader gives up on the
      // whole file at the first block it cannot decode, certificates before it included.
      const std::string what = is_certificate_label(block.label) ? "" : "(" + block.label + " block) ";
      source.malformed.push_back(MalformedCertificate{file, block.index, what + block.error});
      continue;
    }
    if (!is_certificate_label(block.label)) continue;
    if (source.certificates.size() >= kMaxCertificatesPerTrustSource) {
      source.truncated = true;
      return;
    }
    source.certificates.push_back(TrustCertificate{block.der, file, block.index, {}, {}});
  }
}

void read_bundle_file(const Env& env, std::string_view absolute, TrustSource& source) {
  const fs::path resolved = real_path(env, absolute);
  std::error_code ec;
  const auto status = fs::status(resolved, ec);
  if (ec || !fs::exists(status)) {
    source.status = TrustSourceStatus::Missing;
    source.error = fs::is_symlink(fs::symlink_status(env.path(absolute), ec))
                       ? "a symbolic link to a file that does not exist"
                       : "no such file";
    return;
  }
  if (fs::is_directory(status)) {
    source.status = TrustSourceStatus::Unreadable;
    source.error = "is a directory, not a file";
    return;
  }
  auto data = read_file_at(env, resolved);
  if (!data) {
    source.status = TrustSourceStatus::Unreadable;
    source.error = data.error().message;
    return;
  }
  source.files_read = 1;
  append_certificates(*data, std::string(absolute), source);
  finish_status(source, data->empty() ? "the file is empty" : "holds no certificate");
}

void read_certificate_directory(const Env& env, std::string_view absolute, DirectoryFiles which,
                                TrustSource& source) {
  source.is_directory = true;
  const fs::path resolved = real_path(env, absolute);
  std::error_code ec;
  const auto status = fs::status(resolved, ec);
  if (ec || !fs::exists(status)) {
    source.status = TrustSourceStatus::Missing;
    source.error = "no such directory";
    return;
  }
  if (!fs::is_directory(status)) {
    source.status = TrustSourceStatus::Unreadable;
    source.error = "is a file, not a directory";
    return;
  }
  std::vector<fs::path> entries;
  std::error_code list_error;
  list_entries(resolved, which == DirectoryFiles::CrtRecursive, 0, entries, source.truncated,
               list_error);
  if (list_error && entries.empty()) {
    source.status = TrustSourceStatus::Unreadable;
    source.error = "cannot list: " + list_error.message();
    return;
  }
  std::size_t unhashed = 0;
  std::size_t unreadable = 0;
  std::string first_unreadable;
  for (const auto& entry : entries) {
    const std::string name = entry.filename().string();
    if (!selected(name, which)) {
      if (which == DirectoryFiles::SubjectHashNames && looks_like_certificate_file(name)) ++unhashed;
      continue;
    }
    // The entry as the user sees it, e.g. /etc/ssl/certs/4042bcee.0 (a link into /usr/share).
    const std::string shown = (fs::path(absolute) / entry.lexically_relative(resolved)).string();
    ++source.files_read;
    // On the real machine the kernel follows the links; only a sysroot needs them re-rooted.
    const bool real_root = env.sysroot.empty() || env.sysroot == "/";
    auto data = read_file_at(env, real_root ? entry : real_path(env, shown));
    if (!data) {
      if (++unreadable == 1) first_unreadable = shown + ": " + data.error().message;
      continue;
    }
    append_certificates(*data, shown, source);
    if (source.truncated) break;
  }
  if (unreadable > 0) {
    source.error = std::to_string(unreadable) + " file(s) could not be read (first: " +
                   first_unreadable + ")";
  }
  if (source.certificates.empty() && source.malformed.empty() && unhashed > 0 && source.error.empty()) {
    source.error = "holds " + std::to_string(unhashed) +
                   " certificate file(s) but none under a subject-hash name, so OpenSSL finds "
                   "none of them until `openssl rehash` is run";
  }
  finish_status(source, entries.empty() ? "the directory is empty" : "holds no certificate");
}

}  // namespace tlsdoctor::platform::detail
