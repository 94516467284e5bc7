// Trust store facts: every place a TLS client on this machine may take its trusted roots from.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/env.h"

namespace tlsdoctor::platform {

// A directory of anchors with more files than this is not a trust store someone maintains by
// hand: Debian's /etc/ssl/certs holds about 300 entries (a .pem link and a hash link per root).
inline constexpr std::size_t kMaxFilesPerTrustDirectory = 4096;
// One source with more certificates than this is cut off (and marked truncated): Mozilla's
// program has about 150 roots, and bundles that add every legacy root stay under 600.
inline constexpr std::size_t kMaxCertificatesPerTrustSource = 2048;
// update-ca-certificates looks into subdirectories of /usr/local/share/ca-certificates; nobody
// nests anchors deeper than a vendor folder or two.
inline constexpr int kMaxTrustDirectoryDepth = 4;
// certutil is run once per nickname; a personal NSS database holds a handful of certificates,
// so past this many the rest are skipped rather than spend seconds on them.
inline constexpr std::size_t kMaxNssNicknames = 64;

enum class TrustSourceKind {
  DistributionBundle,   // /etc/ssl/certs/ca-certificates.crt and the other distributions' bundles
  HashedDirectory,      // /etc/ssl/certs/<subject hash>.0
  OpensslDefaultFile,   // the file OpenSSL loads when no variable overrides it
  OpensslDefaultDir,    // the directory OpenSSL searches by subject hash
  EnvironmentOverride,  // SSL_CERT_FILE, SSL_CERT_DIR, CURL_CA_BUNDLE, REQUESTS_CA_BUNDLE, NODE_EXTRA_CA_CERTS
  LocalAnchors,         // /usr/local/share/ca-certificates, /etc/pki/ca-trust/source/anchors
  Distrust,             // blocklist directories and Debian's deselected certificates
  NssDatabase,          // the user's ~/.pki/nssdb (Chromium and other NSS programs)
};
std::string_view to_string(TrustSourceKind kind);

enum class TrustSourceStatus {
  Ok,          // read, and holds certificates
  Missing,     // the file or directory does not exist (normal for other distributions' paths)
  Unreadable,  // exists but cannot be read (permissions, not a file, too large)
  Empty,       // read, but holds no certificate
  Skipped,     // not looked at (certutil not installed, programs turned off)
};
std::string_view to_string(TrustSourceStatus status);

struct TrustCertificate {
  std::vector<std::uint8_t> der;
  std::string file;          // the file it came from, as the user sees it
  std::size_t block = 0;     // its position among the PEM blocks of that file, counting from 0
  std::string nss_nickname;  // NssDatabase only
  std::string nss_trust;     // NssDatabase only: certutil's trust flags ("CT,C,C")
};

// A PEM block that could not be decoded (bad base64, no END line). The rest of the file is still
// read here, but OpenSSL's own bundle loader rejects the whole file at such a block.
struct MalformedCertificate {
  std::string file;
  std::size_t block = 0;  // position among the PEM blocks of the file, counting from 0
  std::string reason;
};

struct TrustSource {
  TrustSourceKind kind = TrustSourceKind::DistributionBundle;
  std::string name;               // "Debian/Ubuntu bundle", "SSL_CERT_FILE", "user NSS database"
  std::string path;               // as the user sees it
  std::string variable;           // the environment variable that names it ("" if none)
  bool is_directory = false;      // a directory of certificates rather than one bundle file
  bool used_by_openssl = false;   // OpenSSL's default verify paths read it
  TrustSourceStatus status = TrustSourceStatus::Missing;
  std::string error;              // why it is missing, unreadable, empty or skipped
  // Index in TrustStoreFacts::sources of an earlier source that is the same file or directory
  // (e.g. /usr/lib/ssl/cert.pem links to Debian's bundle); its certificates are not read twice.
  std::optional<std::size_t> same_as;
  std::size_t files_read = 0;     // directories: files looked at
  std::size_t duplicates = 0;     // certificates byte-identical to one in an earlier source
  bool truncated = false;         // a limit above stopped the read
  std::vector<TrustCertificate> certificates;
  std::vector<MalformedCertificate> malformed;
};

// What platform cannot learn without OpenSSL: checker/pki fills it from
// X509_get_default_cert_file(), X509_get_default_cert_dir() and their variable names.
struct TrustStoreHints {
  std::string openssl_default_file;        // "/usr/lib/ssl/cert.pem"
  std::string openssl_default_dir;         // "/usr/lib/ssl/certs"
  std::string openssl_file_env = "SSL_CERT_FILE";
  std::string openssl_dir_env = "SSL_CERT_DIR";
};

struct OverrideVariable {
  std::string name;                  // "SSL_CERT_FILE"
  std::optional<std::string> value;  // nullopt when unset
};

struct TrustStoreFacts {
  std::vector<TrustSource> sources;
  std::vector<OverrideVariable> overrides;  // every override variable looked at, set or not
  std::vector<std::string> debian_deselected;  // "!mozilla/X.crt" lines of /etc/ca-certificates.conf, without '!'

  // The source whose certificates stand for `source` (following same_as).
  const TrustSource& resolve(const TrustSource& source) const;
};

// Reads every source. Never fails as a whole: each source carries its own status and error.
TrustStoreFacts read_trust_store(const Env& env, const TrustStoreHints& hints);

}  // namespace tlsdoctor::platform
