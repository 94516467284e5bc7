// The certificates the scenario server presents: the shared lab PKI and one identity per behaviour.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <tl/expected.hpp>

#include "lab/cert_factory.h"
#include "lab/scenario_server.h"

namespace tlsdoctor::lab {

// The name WrongHost's leaf is issued for (anything but ScenarioOptions::host_name).
inline constexpr const char* kWrongHostName = "wrong-host.tlsdoctor.test";
// The name of the client certificate lab_client_credential() holds.
inline constexpr const char* kLabClientName = "client.lab.tlsdoctor.test";

// Building a longer chain only burns time: OpenSSL's default verify depth is 100 and its client
// refuses a Certificate message over 100 KiB (about 250 P-256 certificates) anyway.
inline constexpr std::size_t kMaxLabChainLength = 1000;
// A Certificate message's length field has 24 bits (16 MiB for all certificates together); a
// few MiB already shows every client cap, and more only slows the tests.
inline constexpr std::size_t kMaxLabCertificateBytes = 8 * 1024 * 1024;

// What one server context presents: the certificate whose key signs the handshake (normally
// the leaf), then the rest of the chain in the order it goes on the wire.
struct ServedIdentity {
  Credential certificate;
  std::vector<Credential> chain;  // keys not needed, only the certificates

  bool empty() const { return !certificate.cert; }
  std::vector<std::vector<std::uint8_t>> wire_der() const;  // certificate first
  ServedIdentity clone() const;
};

// The default identity for `options.behaviour`; empty for the behaviours that never send a
// certificate (NeverAnswers, Garbage, ResetAfterHello, FatalAlert). Slow identities (RSA keys,
// the long chain, the huge certificate) are made once per process and shared.
tl::expected<ServedIdentity, LabError> default_identity(const ScenarioOptions& options);
// A leaf for `name` chained to the lab intermediate (CertPerSni's per-name certificates).
tl::expected<ServedIdentity, LabError> identity_for_name(const std::string& name);
// A client certificate (clientAuth) issued by the lab intermediate, for ClientCertRequired;
// made once per process.
tl::expected<ServedIdentity, LabError> lab_client_credential();
// The 1024-bit finite-field group WeakDh offers (RFC 5114's 1024-bit MODP group with a 160-bit
// subgroup, built into OpenSSL as "dh_1024_160").
tl::expected<EvpPkeyPtr, LabError> weak_dh_parameters();

// lab_pki() as a value: the first failure to make it, if any, for code that reports errors.
tl::expected<const LabPki*, LabError> lab_pki_or_error();

}  // namespace tlsdoctor::lab
