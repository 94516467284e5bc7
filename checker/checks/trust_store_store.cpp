// Trust store rules about the store as a whole: overrides, emptiness, damage, missing roots.
#include <algorithm>
#include <map>
#include <set>

#include "checks/trust_store_rules.h"

namespace tlsdoctor::checks::trust_rules {
namespace {

using platform::TrustSource;
using platform::TrustSourceKind;
using platform::TrustSourceStatus;

// One or two missing roots break the sites that chain to them (a warning); three or more mean
// the bundle is badly out of date or was replaced by a private one, and much of the web fails.
constexpr std::size_t kMissingEssentialFail = 3;

Evidence ev(std::string key, std::string value) { return Evidence{std::move(key), std::move(value)}; }

const char* kRegenerate =
    "`sudo apt-get install --reinstall ca-certificates && sudo update-ca-certificates --fresh` "
    "(Debian/Ubuntu) or `sudo update-ca-trust` (RHEL/Fedora)";

// A bundle that exists and holds certificates, to suggest as an override's target.
std::string working_bundle(const platform::TrustStoreFacts& facts) {
  for (const auto& source : facts.sources) {
    if (source.kind == TrustSourceKind::DistributionBundle && source.status == TrustSourceStatus::Ok) {
      return source.path;
    }
  }
  return "your distribution's CA bundle";
}

void override_broken(const platform::TrustStoreFacts& facts, std::vector<Finding>& out) {
  for (const auto& source : facts.sources) {
    if (source.kind != TrustSourceKind::EnvironmentOverride) continue;
    const TrustSource& origin = facts.resolve(source);
    if (origin.status == TrustSourceStatus::Ok) continue;
    const std::string thing = source.is_directory ? "a directory" : "a file";
    std::string title;
    if (source.path.empty()) {
      title = source.variable + " is set, but to an empty value";
    } else if (origin.status == TrustSourceStatus::Missing) {
      title = source.variable + " points at " + thing + " that does not exist";
    } else if (origin.status == TrustSourceStatus::Empty) {
      title = source.variable + " points at " + thing + " with no usable certificate";
    } else {
      title = source.variable + " points at " + thing + " that cannot be read";
    }
    out.push_back(Finding{FindingId::TrustOverrideBroken, Severity::Fail, title,
                          {ev("variable", source.variable), ev("path", source.path),
                           ev("status", std::string(to_string(origin.status))), ev("problem", origin.error)},
                          "Point " + source.variable + " at a certificate bundle that exists (such as " +
                              working_bundle(facts) + ") or unset it (`unset " + source.variable +
                              "`, and remove it from your shell profile or /etc/environment)."});
  }
}

// Bundle files OpenSSL's default paths read, by index of the source that holds the certificates.
std::set<std::size_t> openssl_files(const platform::TrustStoreFacts& facts) {
  std::set<std::size_t> files;
  for (std::size_t i = 0; i < facts.sources.size(); ++i) {
    const auto& source = facts.sources[i];
    if (!source.used_by_openssl || source.is_directory) continue;
    files.insert(source.same_as ? *source.same_as : i);
  }
  return files;
}

void bundle_malformed(const platform::TrustStoreFacts& facts, const TrustAnchors& anchors, std::vector<Finding>& out) {
  struct Damage {
    std::vector<std::string> blocks;
    std::string reason;
    std::string source;
    bool fatal = false;  // in a file OpenSSL reads, which it then rejects whole
  };
  std::map<std::string, Damage> by_file;
  std::vector<std::string> order;
  auto note = [&](const std::string& file, std::size_t block, const std::string& reason,
                  const std::string& source, bool fatal) {
    auto& damage = by_file[file];
    if (damage.blocks.empty()) {
      order.push_back(file);
      damage.reason = reason;
      damage.source = source;
    }
    damage.blocks.push_back(std::to_string(block + 1));
    damage.fatal = damage.fatal || fatal;
  };
  const auto fatal_sources = openssl_files(facts);
  for (std::size_t i = 0; i < facts.sources.size(); ++i) {
    for (const auto& bad : facts.sources[i].malformed) {
      note(bad.file, bad.block, bad.reason, facts.sources[i].name, fatal_sources.contains(i));
    }
  }
  for (const auto& bad : anchors.unparsable) note(bad.file, bad.block, bad.reason, "", bad.in_openssl_file);
  for (const auto& file : order) {
    const auto& damage = by_file[file];
    const std::string blocks = join_limited(damage.blocks);
    out.push_back(Finding{
        FindingId::TrustBundleMalformed, damage.fatal ? Severity::Fail : Severity::Warn,
        damage.fatal ? "A damaged certificate in " + file + " makes OpenSSL ignore the whole file"
                     : "A damaged certificate in " + file + " was skipped (the rest was read)",
        {ev("file", file), ev("block", blocks), ev("problem", damage.reason), ev("source", damage.source)},
        "Regenerate the bundle with " + std::string(kRegenerate) +
            ", or remove the damaged block (counting BEGIN lines from 1: " + blocks + ")."});
  }
}

std::string openssl_paths(const platform::TrustStoreFacts& facts) {
  std::vector<std::string> paths;
  for (const auto& source : facts.sources) {
    if (source.used_by_openssl) paths.push_back(source.path.empty() ? "$" + source.variable : source.path);
  }
  return join_limited(paths);
}

// Returns true when the store OpenSSL uses has no anchor at all (so the root rules are moot).
bool store_empty_or_unreadable(const platform::TrustStoreFacts& facts, const TrustAnchors& anchors,
                               std::vector<Finding>& out) {
  const auto in_store = std::count_if(anchors.anchors.begin(), anchors.anchors.end(),
                                      [](const auto& a) { return a.in_openssl_store; });
  std::vector<std::string> broken;  // parts of the OpenSSL store that exist but fail to load
  std::vector<std::string> missing;
  for (const auto& source : facts.sources) {
    if (!source.used_by_openssl) continue;
    const TrustSource& origin = facts.resolve(source);
    const std::string where = source.path.empty() ? "$" + source.variable : source.path;
    if (origin.status == TrustSourceStatus::Unreadable) broken.push_back(where + ": " + origin.error);
    if (!origin.is_directory && !origin.malformed.empty()) broken.push_back(where + ": has a damaged block");
    if (origin.status == TrustSourceStatus::Missing) missing.push_back(where + ": " + origin.error);
  }
  const std::string fix = "Reinstall the system's CA certificates: " + std::string(kRegenerate) + ".";
  if (in_store == 0) {
    if (!broken.empty() || !missing.empty()) {
      std::vector<std::string> problems = broken;
      problems.insert(problems.end(), missing.begin(), missing.end());
      out.push_back(Finding{FindingId::TrustStoreUnreadable, Severity::Fail,
                            "The trusted certificates OpenSSL uses are missing or cannot be read",
                            {ev("store", openssl_paths(facts)), ev("problems", join_limited(problems))}, fix});
    } else {
      out.push_back(Finding{FindingId::TrustStoreEmpty, Severity::Fail,
                            "No trusted root certificates are installed: every TLS connection will fail",
                            {ev("store", openssl_paths(facts))}, fix});
    }
    return true;
  }
  if (!broken.empty()) {
    out.push_back(Finding{FindingId::TrustStoreUnreadable, Severity::Warn,
                          "Part of the trust store OpenSSL uses cannot be read",
                          {ev("store", openssl_paths(facts)), ev("problems", join_limited(broken)),
                           ev("roots_still_loaded", std::to_string(in_store))},
                          fix});
  }
  return false;
}

bool in_store(const TrustAnchors& anchors, const pki::EssentialRoot& root, const TrustAnchor** found = nullptr) {
  for (const auto& anchor : anchors.anchors) {
    if (anchor.in_openssl_store && pki::Catalogs::matches(root, anchor.cert)) {
      if (found != nullptr) *found = &anchor;
      return true;
    }
  }
  return false;
}

void missing_roots(const platform::TrustStoreFacts& facts, const TrustAnchors& anchors, const pki::Catalogs& catalogs,
                   std::chrono::sys_seconds now, std::vector<Finding>& out) {
  std::vector<std::string> missing;
  for (const auto& root : catalogs.essential_roots.entries) {
    if (root.role == pki::EssentialRole::Essential && !in_store(anchors, root)) missing.push_back(root.name);
  }
  if (!missing.empty()) {
    out.push_back(Finding{FindingId::TrustRootMissing,
                          missing.size() >= kMissingEssentialFail ? Severity::Fail : Severity::Warn,
                          std::to_string(missing.size()) + " root certificate(s) that most websites rely on are missing",
                          {ev("missing", join_limited(missing)), ev("count", std::to_string(missing.size())),
                           ev("store", openssl_paths(facts))},
                          "Update the CA certificates: " + std::string(kRegenerate) +
                              "; if a variable such as SSL_CERT_FILE points at a private bundle, add these roots to it."});
  }
  for (const auto& legacy : catalogs.essential_roots.entries) {
    const TrustAnchor* old_root = nullptr;
    if (legacy.role != pki::EssentialRole::LegacyTrap || !in_store(anchors, legacy, &old_root)) continue;
    if (old_root->cert.not_after >= now) continue;
    const bool successor_missing = std::find(missing.begin(), missing.end(), legacy.replaced_by) != missing.end();
    if (!successor_missing) continue;
    out.push_back(Finding{FindingId::TrustLegacyRootTrap, Severity::Fail,
                          "Only the expired " + legacy.name + " is trusted, not its replacement " +
                              legacy.replaced_by + ": sites that chain to it fail",
                          {ev("expired_root", legacy.name), ev("expired_on", date_text(old_root->cert.not_after)),
                           ev("missing_root", legacy.replaced_by), ev("file", old_root->file)},
                          "Install " + legacy.replaced_by + " by updating the CA certificates (" + kRegenerate +
                              "), then remove " + legacy.name + "."});
  }
}

}  // namespace

void judge_store(const platform::TrustStoreFacts& facts, const TrustAnchors& anchors, const pki::Catalogs& catalogs,
                 std::chrono::sys_seconds now, std::vector<Finding>& out) {
  override_broken(facts, out);
  const bool nothing_loaded = store_empty_or_unreadable(facts, anchors, out);
  bundle_malformed(facts, anchors, out);
  if (!nothing_loaded) missing_roots(facts, anchors, catalogs, now, out);
}

}  // namespace tlsdoctor::checks::trust_rules
