// The probe engine: runs handshakes described by ProbeSpecs, concurrently, under one overall deadline.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "core/deadline.h"
#include "tls/handshake.h"
#include "tls/probe_spec.h"

namespace tlsdoctor::tls {

// Caps on what a peer can make a probe hold. OpenSSL's own default cap on the Certificate
// message is 100 KiB; real chains are 3-6 KiB, the largest public ones (many SANs) ~ 30 KiB.
inline constexpr std::size_t kMaxCertificateMessageBytes = 128 * 1024;
// Real chains have 2-4 certificates; RFC 8446 puts no limit, OpenSSL's verify depth is 100.
// More than this is a misbehaving peer: the rest is dropped and the chain is marked truncated.
inline constexpr std::size_t kMaxPeerChainLength = 16;
// Threads running probes at once; more specs than this wait for a free slot (still under the
// overall deadline). One probe costs one thread mostly asleep in poll().
inline constexpr std::size_t kMaxParallelProbes = 64;

// Runs one probe. Every stage is bounded by its own timeout from the spec and by `overall`.
Handshake run_probe(const ProbeSpec& spec, const Deadline& overall);

// Runs every spec concurrently (at most kMaxParallelProbes at a time); results are in the
// order of `specs`. Returns by `overall` plus the time of the slowest stage's cleanup.
std::vector<Handshake> run_probes(std::span<const ProbeSpec> specs, const Deadline& overall);

}  // namespace tlsdoctor::tls
