// Trust store facts shared by every OS backend: stable names and the same_as lookup.
#include "platform/trust_store.h"

namespace tlsdoctor::platform {

std::string_view to_string(TrustSourceKind kind) {
  switch (kind) {
    case TrustSourceKind::DistributionBundle: return "distribution_bundle";
    case TrustSourceKind::HashedDirectory: return "hashed_directory";
    case TrustSourceKind::OpensslDefaultFile: return "openssl_default_file";
    case TrustSourceKind::OpensslDefaultDir: return "openssl_default_dir";
    case TrustSourceKind::EnvironmentOverride: return "environment_override";
    case TrustSourceKind::LocalAnchors: return "local_anchors";
    case TrustSourceKind::Distrust: return "distrust";
    case TrustSourceKind::NssDatabase: return "nss_database";
  }
  return "unknown";
}

std::string_view to_string(TrustSourceStatus status) {
  switch (status) {
    case TrustSourceStatus::Ok: return "ok";
    case TrustSourceStatus::Missing: return "missing";
    case TrustSourceStatus::Unreadable: return "unreadable";
    case TrustSourceStatus::Empty: return "empty";
    case TrustSourceStatus::Skipped: return "skipped";
  }
  return "unknown";
}

const TrustSource& TrustStoreFacts::resolve(const TrustSource& source) const {
  const TrustSource* current = &source;
  // same_as always points at an earlier source, so this walk ends; the bound is belt and braces.
  for (std::size_t hops = 0; current->same_as && hops < sources.size(); ++hops) {
    if (*current->same_as >= sources.size()) break;
    current = &sources[*current->same_as];
  }
  return *current;
}

}  // namespace tlsdoctor::platform
