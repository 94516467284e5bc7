// A plain OpenSSL client for lab tests: one handshake against a scenario server, and what the client saw.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "lab/scenario_pki.h"
#include "lab/scenario_server.h"

namespace tlsdoctor::lab {

struct LabClientOptions {
  std::optional<std::string> sni = std::string(kLabHostName);  // nullopt: no server_name at all
  int min_version = 0;  // TLS1_VERSION ...; 0 leaves OpenSSL's default
  int max_version = 0;
  std::optional<int> security_level;  // nullopt: the process's OpenSSL configuration decides
  std::string cipher_list;            // TLS 1.2 and below; empty: default
  // Verify the chain against lab_pki().root and check `verify_name` (SSL_VERIFY_PEER).
  bool verify = true;
  std::string verify_name = kLabHostName;
  // Bytes of made-up ALPN protocol names, to make the ClientHello this much larger.
  std::size_t alpn_padding = 0;
  // Presented when the server asks (ClientCertRequired); none when null.
  const ServedIdentity* client_certificate = nullptr;
  // After a completed handshake, read until this long has passed or something arrives: a TLS 1.3
  // server rejects a client certificate only after the client considers the handshake done.
  std::chrono::milliseconds read_after{0};
  std::chrono::milliseconds timeout{3000};  // connect + handshake
};

struct LabClientResult {
  std::string connect_error;  // non-empty: TCP failed
  bool completed = false;     // SSL_connect succeeded
  bool timed_out = false;
  std::string reason;         // the first OpenSSL error reason ("certificate verify failed")
  int system_errno = 0;       // SSL_ERROR_SYSCALL's errno (ECONNRESET, ...)
  int ssl_error = 0;
  long verify_result = 0;     // X509_V_OK or X509_V_ERR_*
  std::optional<std::uint8_t> alert_received;  // the first alert from the server, close_notify aside
  std::vector<std::vector<std::uint8_t>> peer_chain;  // DER as received, leaf first
  std::string version;        // "TLSv1.3"
  std::string cipher;         // OpenSSL name
  std::string post_handshake; // what reading after the handshake gave: "eof", "alert", "timeout", "data"
  std::chrono::milliseconds elapsed{0};
};

LabClientResult lab_handshake(const ScenarioServer& server, const LabClientOptions& options);

// The records of the ClientHello OpenSSL would send with `options` (as on the wire), made
// without any network, for tests that speak to a server byte by byte.
std::vector<std::uint8_t> lab_client_hello_records(const LabClientOptions& options);

}  // namespace tlsdoctor::lab
