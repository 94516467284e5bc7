// Trust store facts on Linux: distribution bundles, hashed directories, overrides, local anchors,
// distrust lists and the user's NSS database, each certificate tagged with where it came from.
#include <map>
#include <system_error>
#include <unordered_set>

#include "nss_database.h"
#include "platform/file_read.h"
#include "platform/trust_store.h"
#include "trust_source_reader.h"

namespace tlsdoctor::platform {
namespace {

namespace fs = std::filesystem;
using detail::DirectoryFiles;

struct NamedPath {
  std::string_view name;
  std::string_view path;
};

// Where each distribution's ca-certificates package writes its PEM bundle.
constexpr NamedPath kDistributionBundles[] = {
    {"Debian/Ubuntu bundle", "/etc/ssl/certs/ca-certificates.crt"},
    {"RHEL/Fedora bundle", "/etc/pki/tls/certs/ca-bundle.crt"},
    {"RHEL/Fedora extracted bundle", "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem"},
    {"openSUSE bundle", "/etc/ssl/ca-bundle.pem"},
    {"Alpine bundle", "/etc/ssl/cert.pem"},
    {"Arch bundle", "/etc/ca-certificates/extracted/tls-ca-bundle.pem"},
};

constexpr std::string_view kHashedDirectory = "/etc/ssl/certs";

// Distrust lists p11-kit reads on RHEL/Fedora ("blacklist" is the name before 2020).
constexpr NamedPath kBlocklistDirectories[] = {
    {"RHEL/Fedora local blocklist", "/etc/pki/ca-trust/source/blocklist"},
    {"RHEL/Fedora local blocklist (old name)", "/etc/pki/ca-trust/source/blacklist"},
    {"RHEL/Fedora distribution blocklist", "/usr/share/pki/ca-trust-source/blocklist"},
    {"RHEL/Fedora distribution blocklist (old name)", "/usr/share/pki/ca-trust-source/blacklist"},
};

constexpr std::string_view kDebianConf = "/etc/ca-certificates.conf";
constexpr std::string_view kDebianCertificates = "/usr/share/ca-certificates/";

enum class VariableShape { File, DirectoryList, FileOrDirectory };

class TrustStoreReader {
 public:
  explicit TrustStoreReader(const Env& env) : env_(env) {}

  void add_file(TrustSource source, std::string_view absolute) {
    source.path = std::string(absolute);
    const std::string key = "file:" + detail::real_path(env_, absolute).string();
    if (link_to_earlier(source, key)) return;
    detail::read_bundle_file(env_, absolute, source);
    remember(std::move(source), key);
  }

  void add_directory(TrustSource source, std::string_view absolute, DirectoryFiles which) {
    source.path = std::string(absolute);
    source.is_directory = true;
    const std::string key = std::to_string(static_cast<int>(which)) + ":" +
                            detail::real_path(env_, absolute).string();
    if (link_to_earlier(source, key)) return;
    detail::read_certificate_directory(env_, absolute, which, source);
    remember(std::move(source), key);
  }

  void add(TrustSource source) {
    count_duplicates(source);
    facts_.sources.push_back(std::move(source));
  }

  bool is_directory(std::string_view absolute) const {
    std::error_code ec;
    return fs::is_directory(detail::real_path(env_, absolute), ec);
  }

  TrustStoreFacts& facts() { return facts_; }

 private:
  // A second name for a file or directory already read: point at it rather than read it again.
  bool link_to_earlier(TrustSource& source, const std::string& key) {
    const auto it = read_paths_.find(key);
    if (it == read_paths_.end()) return false;
    const TrustSource& earlier = facts_.sources[it->second];
    source.same_as = it->second;
    source.status = earlier.status;
    source.error = earlier.error;
    source.is_directory = earlier.is_directory;
    facts_.sources.push_back(std::move(source));
    return true;
  }

  void remember(TrustSource source, const std::string& key) {
    if (source.status != TrustSourceStatus::Missing) read_paths_.emplace(key, facts_.sources.size());
    add(std::move(source));
  }

  void count_duplicates(TrustSource& source) {
    for (const auto& cert : source.certificates) {
      std::string bytes(cert.der.begin(), cert.der.end());
      if (!seen_der_.insert(std::move(bytes)).second) ++source.duplicates;
    }
  }

  const Env& env_;
  TrustStoreFacts facts_;
  std::map<std::string, std::size_t> read_paths_;
  std::unordered_set<std::string> seen_der_;
};

TrustSource make_source(TrustSourceKind kind, std::string_view name) {
  TrustSource source;
  source.kind = kind;
  source.name = std::string(name);
  return source;
}

void add_override(TrustStoreReader& reader, const Env& env, const TrustStoreHints& hints,
                  const std::string& variable, VariableShape shape) {
  const auto value = env.var(variable);
  reader.facts().overrides.push_back(OverrideVariable{variable, value});
  if (!value) return;
  TrustSource source = make_source(TrustSourceKind::EnvironmentOverride, variable);
  source.variable = variable;
  // OpenSSL replaces its default file (or directory) with the variable as soon as it is set.
  source.used_by_openssl = variable == hints.openssl_file_env || variable == hints.openssl_dir_env;
  if (value->empty()) {
    source.status = TrustSourceStatus::Missing;
    source.error = "the variable is set to an empty value";
    reader.add(std::move(source));
    return;
  }
  switch (shape) {
    case VariableShape::File:
      reader.add_file(std::move(source), *value);
      return;
    case VariableShape::FileOrDirectory:
      if (reader.is_directory(*value)) {
        reader.add_directory(std::move(source), *value, DirectoryFiles::SubjectHashNames);
      } else {
        reader.add_file(std::move(source), *value);
      }
      return;
    case VariableShape::DirectoryList: {
      // Like PATH: OpenSSL searches each directory of a colon-separated list.
      std::string_view rest = *value;
      while (!rest.empty()) {
        const auto colon = rest.find(':');
        const auto dir = rest.substr(0, colon);
        if (!dir.empty()) reader.add_directory(source, dir, DirectoryFiles::SubjectHashNames);
        if (colon == std::string_view::npos) break;
        rest.remove_prefix(colon + 1);
      }
      return;
    }
  }
}

// Debian's /etc/ca-certificates.conf: "!mozilla/X.crt" lines deselect a shipped root.
void add_debian_deselected(TrustStoreReader& reader, const Env& env) {
  TrustSource source = make_source(TrustSourceKind::Distrust, "Debian deselected certificates");
  source.path = std::string(kDebianConf);
  auto conf = read_file(env, kDebianConf);
  if (!conf) {
    source.status = conf.error().message == "no such file" ? TrustSourceStatus::Missing
                                                           : TrustSourceStatus::Unreadable;
    source.error = conf.error().message;
    reader.add(std::move(source));
    return;
  }
  std::size_t pos = 0;
  std::string missing;
  while (pos < conf->size()) {
    const auto eol = conf->find('\n', pos);
    std::string_view line(conf->data() + pos, (eol == std::string::npos ? conf->size() : eol) - pos);
    pos = eol == std::string::npos ? conf->size() : eol + 1;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    if (!line.starts_with('!') || line.size() < 2) continue;
    const std::string name(line.substr(1));
    reader.facts().debian_deselected.push_back(name);
    TrustSource one;
    detail::read_bundle_file(env, std::string(kDebianCertificates) + name, one);
    if (one.certificates.empty() && missing.empty()) missing = name + ": " + one.error;
    for (auto& cert : one.certificates) source.certificates.push_back(std::move(cert));
    for (auto& bad : one.malformed) source.malformed.push_back(std::move(bad));
  }
  source.files_read = 1;
  source.status = source.certificates.empty() ? TrustSourceStatus::Empty : TrustSourceStatus::Ok;
  source.error = missing;
  if (source.certificates.empty() && source.error.empty()) source.error = "no certificate is deselected";
  reader.add(std::move(source));
}

}  // namespace

TrustStoreFacts read_trust_store(const Env& env, const TrustStoreHints& hints) {
  TrustStoreReader reader(env);

  for (const auto& bundle : kDistributionBundles) {
    reader.add_file(make_source(TrustSourceKind::DistributionBundle, bundle.name), bundle.path);
  }
  reader.add_directory(make_source(TrustSourceKind::HashedDirectory, "hashed directory"),
                       kHashedDirectory, DirectoryFiles::SubjectHashNames);

  if (!hints.openssl_default_file.empty()) {
    auto source = make_source(TrustSourceKind::OpensslDefaultFile, "OpenSSL default file");
    source.variable = hints.openssl_file_env;
    source.used_by_openssl = !env.var(hints.openssl_file_env).has_value();
    reader.add_file(std::move(source), hints.openssl_default_file);
  }
  if (!hints.openssl_default_dir.empty()) {
    auto source = make_source(TrustSourceKind::OpensslDefaultDir, "OpenSSL default directory");
    source.variable = hints.openssl_dir_env;
    source.used_by_openssl = !env.var(hints.openssl_dir_env).has_value();
    reader.add_directory(std::move(source), hints.openssl_default_dir, DirectoryFiles::SubjectHashNames);
  }

  add_override(reader, env, hints, hints.openssl_file_env, VariableShape::File);
  add_override(reader, env, hints, hints.openssl_dir_env, VariableShape::DirectoryList);
  add_override(reader, env, hints, "CURL_CA_BUNDLE", VariableShape::File);
  add_override(reader, env, hints, "REQUESTS_CA_BUNDLE", VariableShape::FileOrDirectory);
  add_override(reader, env, hints, "NODE_EXTRA_CA_CERTS", VariableShape::File);

  reader.add_directory(make_source(TrustSourceKind::LocalAnchors, "added locally (Debian/Ubuntu)"),
                       "/usr/local/share/ca-certificates", DirectoryFiles::CrtRecursive);
  reader.add_directory(make_source(TrustSourceKind::LocalAnchors, "added locally (RHEL/Fedora)"),
                       "/etc/pki/ca-trust/source/anchors", DirectoryFiles::AnyFile);

  TrustSource nss = make_source(TrustSourceKind::NssDatabase, "user NSS database");
  detail::read_nss_database(env, nss);
  reader.add(std::move(nss));

  for (const auto& blocklist : kBlocklistDirectories) {
    reader.add_directory(make_source(TrustSourceKind::Distrust, blocklist.name), blocklist.path,
                         DirectoryFiles::AnyFile);
  }
  add_debian_deselected(reader, env);
  return std::move(reader.facts());
}

}  // namespace tlsdoctor::platform
