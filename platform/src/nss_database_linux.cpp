// Reads ~/.pki/nssdb with certutil (libnss3-tools), each call bounded by the program timeout.
#include "nss_database.h"

#include <system_error>

#include "platform/program.h"
#include "trust_source_reader.h"

namespace tlsdoctor::platform::detail {
namespace {

namespace fs = std::filesystem;

bool is_trust_flag_field(std::string_view token) {
  // Three comma-separated fields of NSS trust letters, e.g. "CT,C,C", ",,", "u,u,u".
  std::size_t commas = 0;
  for (char c : token) {
    if (c == ',') {
      ++commas;
    } else if (std::string_view("pPcCTuwsk").find(c) == std::string_view::npos) {
      return false;
    }
  }
  return commas == 2;
}

std::string_view trim_right(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::vector<NssEntry> parse_certutil_list(std::string_view output) {
  std::vector<NssEntry> entries;
  std::size_t pos = 0;
  while (pos < output.size()) {
    const auto eol = output.find('\n', pos);
    std::string_view line = trim_right(output.substr(pos, eol == std::string_view::npos ? output.npos : eol - pos));
    pos = eol == std::string_view::npos ? output.size() : eol + 1;
    if (line.empty() || line.find("Certificate Nickname") != std::string_view::npos ||
        line.find("SSL,S/MIME,JAR/XPI") != std::string_view::npos) {
      continue;
    }
    // The flags are the last word; the nickname (which may hold spaces) is everything before.
    const auto split = line.find_last_of(" \t");
    if (split == std::string_view::npos) continue;
    const auto flags = line.substr(split + 1);
    if (!is_trust_flag_field(flags)) continue;
    const auto nickname = trim_right(line.substr(0, split));
    if (nickname.empty()) continue;
    entries.push_back(NssEntry{std::string(nickname), std::string(flags)});
  }
  return entries;
}

void read_nss_database(const Env& env, TrustSource& source) {
  source.kind = TrustSourceKind::NssDatabase;
  source.name = "user NSS database";
  source.is_directory = true;
  const auto home = env.home();
  if (!home) {
    source.status = TrustSourceStatus::Skipped;
    source.error = "no home directory";
    return;
  }
  const std::string shown = (*home / ".pki" / "nssdb").string();
  source.path = shown;
  const fs::path dir = real_path(env, shown);
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    source.status = TrustSourceStatus::Missing;
    source.error = "no such directory";
    return;
  }
  std::string prefix;
  if (fs::exists(dir / "cert9.db", ec)) {
    prefix = "sql:";
  } else if (fs::exists(dir / "cert8.db", ec)) {
    prefix = "dbm:";
  } else {
    source.status = TrustSourceStatus::Empty;
    source.error = "holds neither cert9.db nor cert8.db";
    return;
  }
  const std::string database = prefix + dir.string();
  auto listing = run_program(env, {"certutil", "-L", "-d", database}, env.program_timeout);
  if (!listing) {
    source.status = TrustSourceStatus::Skipped;
    source.error = listing.error().message == "not installed"
                       ? "certutil is not installed (Debian: libnss3-tools), so the database was not read"
                       : "certutil: " + listing.error().message;
    return;
  }
  if (listing->exit_code != 0) {
    source.status = TrustSourceStatus::Unreadable;
    source.error = "certutil could not list the database (exit code " +
                   std::to_string(listing->exit_code) + ")";
    return;
  }
  auto entries = parse_certutil_list(listing->out);
  if (entries.size() > kMaxNssNicknames) {
    entries.resize(kMaxNssNicknames);
    source.truncated = true;
  }
  std::string first_failure;
  for (const auto& entry : entries) {
    auto pem = run_program(env, {"certutil", "-L", "-d", database, "-n", entry.nickname, "-a"},
                           env.program_timeout);
    if (!pem || pem->exit_code != 0) {
      if (first_failure.empty()) {
        first_failure = "certutil could not print \"" + entry.nickname + "\"" +
                        (pem ? "" : ": " + pem.error().message);
      }
      continue;
    }
    const auto before = source.certificates.size();
    append_certificates(pem->out, shown + " (" + entry.nickname + ")", source);
    for (auto i = before; i < source.certificates.size(); ++i) {
      source.certificates[i].nss_nickname = entry.nickname;
      source.certificates[i].nss_trust = entry.trust;
    }
  }
  source.files_read = entries.size();
  source.error = first_failure;
  source.status = source.certificates.empty() ? TrustSourceStatus::Empty : TrustSourceStatus::Ok;
  if (source.certificates.empty() && source.error.empty()) source.error = "holds no certificate";
}

}  // namespace tlsdoctor::platform::detail
