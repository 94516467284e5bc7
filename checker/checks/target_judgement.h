// What one target's handshakes say about where its fault lies: this machine, the path, or the server.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/finding.h"
#include "pki/catalogs.h"
#include "reference/protocol/messages.h"
#include "tls/handshake.h"

namespace tlsdoctor::checks {

// The default handshake with a target and the follow-ups its failure called for.
struct TargetEvidence {
  std::string target;  // "example.com:443"
  tls::Handshake main;
  // cert_expired / cert_not_yet_valid: whether the same chain verifies at trusted time (nullopt:
  // no trusted time could be had), and where that time came from.
  std::optional<bool> passes_at_trusted_time;
  std::string trusted_source;
  // A handshake cut (EOF, reset, timeout, garbage, a generic alert): the same server with a
  // neutral SNI. Completing then means the name is what is filtered.
  std::optional<tls::Handshake> neutral_sni;
  // No version or cipher in common: one handshake per TLS version at security level 0.
  std::vector<tls::Handshake> versions;
  // With a live reference: its own look at the target from outside this network, or why there
  // is none (refused, unreachable, not asked).
  std::optional<reference::ObserveAnswer> observed;
  std::string observe_error;
};

// The follow-ups `failure` calls for.
bool needs_trusted_time(tls::Failure failure);
bool needs_neutral_sni(tls::Failure failure);
bool needs_versions(tls::Failure failure);

// The SNI the neutral follow-up sends: a name no filter lists and any server answers with its
// default certificate (the handshake is what matters, not the name check).
inline constexpr const char* kNeutralSni = "tlsdoctor-neutral.invalid";

// At most one finding for the target (none when the handshake verified, unless the reference
// shows a trusted interceptor). When the reference verified the target from outside: another
// leaf issuer here is path.interception (warn when this machine trusts it, fail when not); DNS,
// TCP or a handshake cut that happen only here are path.dns_mismatch, path.port_blocked,
// path.protocol_blocked (path.sni_filtered when a neutral name works); the same root refused
// here is trust.root_missing. Otherwise the rules below, with what the reference saw as
// evidence. Untrusted chains are
// told apart with the catalogs: an interception product's issuer is path.interception, an
// issuer in the reference root program this store lacks is trust.root_missing (local), anything
// else is the server's own (server.untrusted_root / server.self_signed).
std::optional<Finding> judge_target(const TargetEvidence& evidence, const pki::Catalogs& catalogs);

// The rules that need no reference (judge_target's fallback).
std::optional<Finding> judge_locally(const TargetEvidence& evidence, const pki::Catalogs& catalogs);

}  // namespace tlsdoctor::checks
