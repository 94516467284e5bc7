// The table behind FindingId: its stable string and the layer each finding points at.
#include "core/finding_id.h"

#include <array>

namespace tlsdoctor {
namespace {

constexpr std::array kFindingIds{
    FindingIdInfo{FindingId::ClockSkew, "clock.skew", Layer::Local},
    FindingIdInfo{FindingId::ClockTimezoneMismatch, "clock.timezone_mismatch", Layer::Local},
    FindingIdInfo{FindingId::ClockUnsynchronized, "clock.unsynchronized", Layer::Local},
    FindingIdInfo{FindingId::ClockBeforeBuild, "clock.before_build", Layer::Local},
    FindingIdInfo{FindingId::ClockTimezoneInvalid, "clock.timezone_invalid", Layer::Local},
    FindingIdInfo{FindingId::ClockRtcLocalTime, "clock.rtc_local_time", Layer::Local},
    FindingIdInfo{FindingId::ClockNtpNotConfigured, "clock.ntp_not_configured", Layer::Local},
    FindingIdInfo{FindingId::TrustStoreUnreadable, "trust.store_unreadable", Layer::Local},
    FindingIdInfo{FindingId::TrustStoreEmpty, "trust.store_empty", Layer::Local},
    FindingIdInfo{FindingId::TrustRootMissing, "trust.root_missing", Layer::Local},
    FindingIdInfo{FindingId::TrustRootLeakedKey, "trust.root_leaked_key", Layer::Local},
    FindingIdInfo{FindingId::TrustRootDistrusted, "trust.root_distrusted", Layer::Local},
    FindingIdInfo{FindingId::TrustRootExpired, "trust.root_expired", Layer::Local},
    FindingIdInfo{FindingId::TrustRootNonstandard, "trust.root_nonstandard", Layer::Local},
    FindingIdInfo{FindingId::TrustRootNotYetValid, "trust.root_not_yet_valid", Layer::Local},
    FindingIdInfo{FindingId::TrustRootWeakKey, "trust.root_weak_key", Layer::Local},
    FindingIdInfo{FindingId::TrustRootInterception, "trust.root_interception", Layer::Local},
    FindingIdInfo{FindingId::TrustLegacyRootTrap, "trust.legacy_root_trap", Layer::Local},
    FindingIdInfo{FindingId::TrustOverrideBroken, "trust.override_broken", Layer::Local},
    FindingIdInfo{FindingId::TrustBundleMalformed, "trust.bundle_malformed", Layer::Local},
    FindingIdInfo{FindingId::LocalProtocolDisabled, "local.protocol_disabled", Layer::Local},
    FindingIdInfo{FindingId::LocalCipherPolicy, "local.cipher_policy", Layer::Local},
    FindingIdInfo{FindingId::LocalSeclevelHigh, "local.seclevel_high", Layer::Local},
    FindingIdInfo{FindingId::LocalStacksDisagree, "local.stacks_disagree", Layer::Local},
    FindingIdInfo{FindingId::LocalPolicyUnreadable, "local.policy_unreadable", Layer::Local},
    FindingIdInfo{FindingId::LocalLoopbackFailed, "local.loopback_failed", Layer::Local},
    FindingIdInfo{FindingId::LocalHostsOverride, "local.hosts_override", Layer::Local},
    FindingIdInfo{FindingId::ProxyConfigConflict, "proxy.config_conflict", Layer::Local},
    FindingIdInfo{FindingId::ProxyUnreachable, "proxy.unreachable", Layer::Local},
    FindingIdInfo{FindingId::ProxyAuthRequired, "proxy.auth_required", Layer::Local},
    FindingIdInfo{FindingId::ProxyCredentialsInUrl, "proxy.credentials_in_url", Layer::Local},
    FindingIdInfo{FindingId::ProxyPacFailed, "proxy.pac_failed", Layer::Local},
    FindingIdInfo{FindingId::ProxyInUse, "proxy.in_use", Layer::Local},
    FindingIdInfo{FindingId::PathInterception, "path.interception", Layer::Path},
    FindingIdInfo{FindingId::PathInterceptionExpected, "path.interception_expected", Layer::Path},
    FindingIdInfo{FindingId::PathSniFiltered, "path.sni_filtered", Layer::Path},
    FindingIdInfo{FindingId::PathPortBlocked, "path.port_blocked", Layer::Path},
    FindingIdInfo{FindingId::PathProtocolBlocked, "path.protocol_blocked", Layer::Path},
    FindingIdInfo{FindingId::PathLargeHelloIntolerance, "path.large_hello_intolerance", Layer::Path},
    FindingIdInfo{FindingId::PathCaptivePortal, "path.captive_portal", Layer::Path},
    FindingIdInfo{FindingId::PathDnsMismatch, "path.dns_mismatch", Layer::Path},
    FindingIdInfo{FindingId::ProxyDenied, "proxy.denied", Layer::Path},
    FindingIdInfo{FindingId::ServerCertExpired, "server.cert_expired", Layer::Server},
    FindingIdInfo{FindingId::ServerCertNotYetValid, "server.cert_not_yet_valid", Layer::Server},
    FindingIdInfo{FindingId::ServerNameMismatch, "server.name_mismatch", Layer::Server},
    FindingIdInfo{FindingId::ServerIncompleteChain, "server.incomplete_chain", Layer::Server},
    FindingIdInfo{FindingId::ServerSelfSigned, "server.self_signed", Layer::Server},
    FindingIdInfo{FindingId::ServerUntrustedRoot, "server.untrusted_root", Layer::Server},
    FindingIdInfo{FindingId::ServerProtocolObsolete, "server.protocol_obsolete", Layer::Server},
    FindingIdInfo{FindingId::ServerSniRequired, "server.sni_required", Layer::Server},
    FindingIdInfo{FindingId::ServerClientCertRequired, "server.client_cert_required", Layer::Server},
    FindingIdInfo{FindingId::ServerWeakKey, "server.weak_key", Layer::Server},
    FindingIdInfo{FindingId::ServerUnreachable, "server.unreachable", Layer::Server},
    FindingIdInfo{FindingId::ServerCertInvalid, "server.cert_invalid", Layer::Server},
    FindingIdInfo{FindingId::ServerHandshakeFailed, "server.handshake_failed", Layer::Server},
    FindingIdInfo{FindingId::ServerCaDistrusted, "server.ca_distrusted", Layer::Server},
    FindingIdInfo{FindingId::ReferenceUnreachable, "reference.unreachable", Layer::Reference},
    FindingIdInfo{FindingId::ReferenceBadSignature, "reference.bad_signature", Layer::Reference},
    FindingIdInfo{FindingId::ReferenceStale, "reference.stale", Layer::Reference},
};

// The table is indexed by the enum's value; this catches an entry added out of order.
constexpr bool table_in_enum_order() {
  for (std::size_t i = 0; i < kFindingIds.size(); ++i) {
    if (static_cast<std::size_t>(kFindingIds[i].id) != i) return false;
  }
  return true;
}
static_assert(table_in_enum_order(), "kFindingIds must list ids in FindingId order");
static_assert(kFindingIds.size() == static_cast<std::size_t>(FindingId::ReferenceStale) + 1,
              "every FindingId needs a table entry");

}  // namespace

std::string_view to_string(Layer layer) {
  switch (layer) {
    case Layer::Local: return "local";
    case Layer::Path: return "path";
    case Layer::Server: return "server";
    case Layer::Reference: return "reference";
  }
  return "unknown";
}

std::span<const FindingIdInfo> all_finding_ids() { return kFindingIds; }

std::string_view to_string(FindingId id) { return kFindingIds[static_cast<std::size_t>(id)].name; }

Layer layer_of(FindingId id) { return kFindingIds[static_cast<std::size_t>(id)].layer; }

std::optional<FindingId> finding_id_from_string(std::string_view name) {
  for (const auto& info : kFindingIds) {
    if (info.name == name) return info.id;
  }
  return std::nullopt;
}

}  // namespace tlsdoctor
