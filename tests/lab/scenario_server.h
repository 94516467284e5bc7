// The lab's scenario server: an in-process TLS server on loopback whose behaviour is chosen per instance.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "lab/cert_factory.h"

namespace tlsdoctor::lab {

// Certificate and version scenarios (a well-behaved server with one thing wrong) and hostile
// peers (a server that misbehaves on the wire).
enum class Behaviour {
  Good,
  Expired,
  NotYetValid,
  WrongHost,
  SelfSigned,
  UntrustedRoot,     // chain anchored in a root that LabPki::root is not
  IncompleteChain,   // leaf only, its intermediate left out
  ReversedChain,     // intermediate first, then the leaf (the intermediate's key signs: no server stack sends another certificate first)
  Tls10Only,
  Tls11Only,
  Tls12Only,
  Tls13Only,
  WeakDh,            // TLS 1.2 DHE-only with a 1024-bit group
  Rsa1024,           // leaf key RSA-1024
  SniRequired,       // unrecognized_name alert when SNI is missing or not the lab name
  CertPerSni,        // a different certificate per SNI name (ScenarioOptions::sni_names)
  ClientCertRequired,
  // hostile
  NeverAnswers,      // accepts, reads, never writes
  OneBytePerSecond,  // a valid server whose every byte is sent one second apart
  Garbage,           // answers the ClientHello with bytes that are not TLS
  ResetAfterHello,   // reads the ClientHello, then RST (SO_LINGER 0)
  FatalAlert,        // answers the ClientHello with a fatal alert (ScenarioOptions::alert)
  LongChain,         // sends a chain of ScenarioOptions::chain_length certificates
  HugeCertificate,   // a leaf padded to ScenarioOptions::huge_certificate_bytes
  CloseMidHandshake, // sends the first ServerHello flight's first bytes, then closes
  DropLargeHello,    // a middlebox: reads a ClientHello longer than drop_hello_over bytes and never answers
};

std::string_view to_string(Behaviour behaviour);  // "expired", "tls1.0-only", ...
// Every behaviour in enum order, for tests and benches that walk them all.
std::span<const Behaviour> all_behaviours();
// True from NeverAnswers on: the peer misbehaves on the wire rather than serving a bad certificate.
bool is_hostile(Behaviour behaviour);

// One lab PKI per test process is enough: a root, an intermediate, a leaf for the lab name,
// made once (key generation dominates test time otherwise).
struct LabPki {
  Credential root;
  Credential intermediate;
  // What a client trusts to reach the lab: the root's DER.
  std::vector<std::uint8_t> root_der() const;
};
const LabPki& lab_pki();  // made on first use, then shared (thread-safe)

// The name the lab's leaves are issued for (and what probes send as SNI).
inline constexpr const char* kLabHostName = "lab.tlsdoctor.test";

struct ScenarioOptions {
  Behaviour behaviour = Behaviour::Good;
  std::string bind_address = "127.0.0.1";  // any loopback address, or "::1"
  std::string host_name = kLabHostName;     // the leaf's name
  std::vector<std::string> sni_names = {"a.lab.tlsdoctor.test", "b.lab.tlsdoctor.test"};  // CertPerSni
  std::uint8_t alert = 40;                  // FatalAlert: handshake_failure
  std::size_t chain_length = 200;           // LongChain
  std::size_t huge_certificate_bytes = 1024 * 1024;  // HugeCertificate
  std::size_t drop_hello_over = 1400;       // DropLargeHello: ClientHello bytes (records) tolerated
  std::chrono::milliseconds handshake_timeout{10000};  // the server gives up on a client after this
};

// What the server saw of one connection.
struct ServedConnection {
  std::vector<std::uint8_t> client_hello;  // handshake message (header included); empty if none came
  std::string sni;                         // what the server saw in server_name
  bool handshake_completed = false;
  std::string failure;                     // the server's own error, "" when none
};

class ScenarioServer {
 public:
  // Binds bind_address port 0 and serves on a thread of its own until destroyed.
  static tl::expected<std::unique_ptr<ScenarioServer>, LabError> start(const ScenarioOptions& options);
  virtual ~ScenarioServer() = default;

  virtual std::string address() const = 0;  // "127.0.0.1"
  virtual std::uint16_t port() const = 0;
  // Connections finished so far, oldest first (recorded once the server knows the outcome, before
  // it waits for the client to hang up).
  virtual std::vector<ServedConnection> connections() const = 0;
  // Waits until more than `count` connections have finished, at most `timeout`.
  virtual bool wait_for_connections(std::size_t count, std::chrono::milliseconds timeout) const = 0;
  // The certificates the server presents by default, leaf first (what a client would receive).
  virtual std::vector<std::vector<std::uint8_t>> served_chain() const = 0;
};

}  // namespace tlsdoctor::lab
