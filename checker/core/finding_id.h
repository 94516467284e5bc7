// Stable finding ids: part of the report schema (MDM rules and SIEM queries match on them).
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace tlsdoctor {

// Where a fault lies: this machine, the path to the internet, the remote site, or the reference.
enum class Layer { Local, Path, Server, Reference };

std::string_view to_string(Layer layer);

// Never renumber, rename or reuse an id: add new ones in their check's group.
enum class FindingId {
  // clock
  ClockSkew,
  ClockTimezoneMismatch,
  ClockUnsynchronized,
  ClockBeforeBuild,
  ClockTimezoneInvalid,
  ClockRtcLocalTime,
  ClockNtpNotConfigured,
  // trust_store
  TrustStoreUnreadable,
  TrustStoreEmpty,
  TrustRootMissing,
  TrustRootLeakedKey,
  TrustRootDistrusted,
  TrustRootExpired,
  TrustRootNonstandard,
  TrustRootNotYetValid,
  TrustRootWeakKey,
  TrustRootInterception,
  TrustLegacyRootTrap,
  TrustOverrideBroken,
  TrustBundleMalformed,
  // protocols (local TLS policy)
  LocalProtocolDisabled,
  LocalCipherPolicy,
  LocalSeclevelHigh,
  LocalStacksDisagree,
  LocalPolicyUnreadable,
  LocalLoopbackFailed,
  LocalHostsOverride,
  // proxy
  ProxyConfigConflict,
  ProxyUnreachable,
  ProxyAuthRequired,
  ProxyCredentialsInUrl,
  ProxyPacFailed,
  ProxyInUse,
  // path
  PathInterception,
  PathInterceptionExpected,
  PathSniFiltered,
  PathPortBlocked,
  PathProtocolBlocked,
  PathLargeHelloIntolerance,
  PathCaptivePortal,
  PathDnsMismatch,
  ProxyDenied,
  // server
  ServerCertExpired,
  ServerCertNotYetValid,
  ServerNameMismatch,
  ServerIncompleteChain,
  ServerSelfSigned,
  ServerUntrustedRoot,
  ServerProtocolObsolete,
  ServerSniRequired,
  ServerClientCertRequired,
  ServerWeakKey,
  ServerUnreachable,
  ServerCertInvalid,
  ServerHandshakeFailed,
  ServerCaDistrusted,
  // reference
  ReferenceUnreachable,
  ReferenceBadSignature,
  ReferenceStale,
};

struct FindingIdInfo {
  FindingId id;
  std::string_view name;  // "clock.skew"
  Layer layer;
};

std::span<const FindingIdInfo> all_finding_ids();
std::string_view to_string(FindingId id);
Layer layer_of(FindingId id);
std::optional<FindingId> finding_id_from_string(std::string_view name);

}  // namespace tlsdoctor
