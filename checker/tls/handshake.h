// What one probe observed: DNS, TCP, proxy, the ClientHello sent, what came back, the chain and its verification.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tls/client_hello.h"
#include "tls/failure.h"
#include "tls/probe_spec.h"
#include "tls/tls_version.h"

namespace tlsdoctor::tls {

struct DnsObservation {
  enum class Source { Resolver, Given, Literal, Proxy };
  Source source = Source::Resolver;  // Given: ProbeSpec::addresses; Proxy: the proxy resolved it
  std::vector<std::string> addresses;  // every address, in the resolver's order
  std::chrono::milliseconds elapsed{0};
  std::string error;                   // gai_strerror text when it failed
};

struct ConnectAttempt {
  std::string address;
  std::chrono::milliseconds elapsed{0};
  Failure failure = Failure::None;
  std::string error;  // strerror text
};

struct ProxyObservation {
  std::string proxy;        // display form, never the credentials
  long connect_status = 0;  // the proxy's HTTP status for CONNECT (200, 407, 403, ...); 0: none
  std::string auth_offered; // Proxy-Authenticate schemes the proxy offered ("Basic, NTLM")
  std::chrono::milliseconds elapsed{0};
  std::string error;        // libcurl's message when it failed
};

struct AlertRecord {
  bool sent = false;          // false: received from the peer
  bool fatal = false;
  std::uint8_t description = 0;
  std::string name;           // alert_name(description)
};

struct ServerHelloObservation {
  TlsVersion version = TlsVersion::Tls1_2;  // negotiated
  std::uint16_t cipher_id = 0;             // IANA code point
  std::string cipher;                      // IANA name ("TLS_AES_128_GCM_SHA256")
  std::string group;                       // key-exchange group ("x25519"); empty when none
  std::string alpn;                        // selected protocol; empty when none
  bool hello_retry_request = false;
  std::vector<std::uint16_t> extensions;   // ServerHello extensions in order
  std::string peer_signature;              // signature scheme the server used ("ecdsa_secp256r1_sha256")
};

// One entry of X509_verify_cert's complaints (a verify callback keeps going past the first).
struct VerifyError {
  int code = 0;          // X509_V_ERR_*
  int depth = 0;         // 0: the leaf
  std::string message;   // X509_verify_cert_error_string
};

struct VerifyObservation {
  bool performed = false;  // false: no chain to verify (the handshake failed before Certificate)
  bool ok = false;
  std::string trust;       // what was trusted: "system", the file name, "N anchors"
  std::string verify_time; // RFC 3339
  std::string name;        // the name checked
  std::vector<VerifyError> errors;
  Failure failure = Failure::None;  // the one class chosen from errors (see chain_failure)
  // The keys of the chain verification built (leaf first; the anchor last when one was found):
  // how a policy's expected inspection is recognised by its root's key when the root is not sent.
  std::vector<std::string> built_spki_sha256;
};

struct Timings {
  std::chrono::milliseconds dns{0};
  std::chrono::milliseconds connect{0};    // TCP to the server, or to the proxy on a proxy route
  std::chrono::milliseconds proxy{0};      // the CONNECT exchange
  std::chrono::milliseconds handshake{0};
  std::chrono::milliseconds total{0};
};

struct Handshake {
  ProbeSpec spec;  // as given (route credentials are never rendered)
  Failure failure = Failure::None;
  ProbeStage stage = ProbeStage::Done;  // where it stopped
  std::string detail;  // the OpenSSL reason, errno text or libcurl message behind `failure`

  DnsObservation dns;
  std::vector<ConnectAttempt> connects;
  std::optional<std::string> address;  // the address the handshake ran over ("127.0.0.1", "::1")
  std::optional<ProxyObservation> proxy;

  std::vector<std::uint8_t> client_hello_raw;  // handshake message as sent (type + length + body)
  std::optional<ClientHello> client_hello;     // its parse
  std::string ja3;       // JA3 string
  std::string ja3_hash;  // MD5 of it, lower-case hex
  std::string ja4;
  std::size_t client_hellos_sent = 0;          // 2 after a HelloRetryRequest

  std::optional<ServerHelloObservation> server;
  std::vector<std::vector<std::uint8_t>> peer_chain;  // DER, in the order the server sent it
  bool peer_chain_truncated = false;                  // more than kMaxPeerChainLength were sent
  bool ocsp_stapled = false;
  bool certificate_requested = false;  // the server sent CertificateRequest
  VerifyObservation verify;
  std::vector<AlertRecord> alerts;
  Timings timings;
  // The TLS handshake finished (failure is None or a cert_* class found by verification).
  bool completed = false;
};

}  // namespace tlsdoctor::tls
