// This machine's handshake with a target against a snapshot's record of it: the same certificate issuer, or not.
#pragma once

#include <string>
#include <vector>

#include "reference/protocol/messages.h"
#include "reference/protocol/snapshot.h"
#include "tls/handshake.h"
#include "tls/probe_spec.h"

namespace tlsdoctor::refclient {

// A snapshot given with --reference-file, with the --resolve addresses for each recorded target
// (empty: DNS here decides).
struct SnapshotReference {
  std::string path;
  reference::Snapshot snapshot;
  std::vector<std::vector<std::string>> addresses;  // one list per snapshot observation
};

struct SnapshotComparison {
  std::string target;           // "host:port"
  bool recorded_completed = false;  // the snapshot's default handshake completed
  std::string recorded_failure;     // its failure class ("" when it verified)
  bool seen_completed = false;      // this machine's did
  bool leaf_matches = false;        // the very same leaf certificate
  // The leaf's issuer name is the same and, when both chains carry the issuing CA, so is its
  // key: a renewed certificate keeps both, an interceptor's changes at least one.
  bool issuer_matches = false;
  std::string recorded_issuer, seen_issuer;
  std::string recorded_leaf_sha256, seen_leaf_sha256;
};

// The spec this machine probes a recorded target with: the snapshot's target, SNI and the
// default ClientHello, verified against the system store.
tls::ProbeSpec snapshot_probe_spec(const reference::ObserveAnswer& recorded, std::vector<std::string> addresses);

SnapshotComparison compare_with_snapshot(const reference::ObserveAnswer& recorded, const tls::Handshake& seen);

// True when both handshakes completed and the certificate came from another issuer: what a
// TLS-terminating product in the path looks like from here.
bool looks_intercepted(const SnapshotComparison& comparison);

}  // namespace tlsdoctor::refclient
