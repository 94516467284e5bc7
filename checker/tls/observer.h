// Watches one client handshake through OpenSSL's message callback: hellos, CertificateRequest, alerts, bytes received.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include <openssl/ssl.h>

#include "tls/handshake.h"

namespace tlsdoctor::tls {

// A ClientHello is sent at most twice (a second after HelloRetryRequest) and a ServerHello
// received at most twice (HelloRetryRequest, then the real one); the rest are not kept.
inline constexpr std::size_t kMaxRecordedHellos = 2;
// A peer cannot send more than one fatal alert, but warnings can repeat; a few tell the story.
inline constexpr std::size_t kMaxRecordedAlerts = 8;

class HandshakeObserver {
 public:
  HandshakeObserver() = default;
  HandshakeObserver(const HandshakeObserver&) = delete;
  HandshakeObserver& operator=(const HandshakeObserver&) = delete;
  ~HandshakeObserver();

  // Starts watching `ssl`, whose socket must already be set (SSL_set_fd): the byte count comes
  // from its read BIO. Detaches in the destructor; the SSL must outlive this or be freed first
  // together with it.
  void attach(SSL* ssl);
  // Stops watching (call before the SSL is freed if this outlives it).
  void detach();

  // ClientHello handshake messages as sent (header included), at most kMaxRecordedHellos.
  const std::vector<std::vector<std::uint8_t>>& client_hellos() const { return client_hellos_; }
  std::size_t client_hellos_sent() const { return client_hellos_sent_; }
  // ServerHello messages as received (a HelloRetryRequest is one), at most kMaxRecordedHellos.
  const std::vector<std::vector<std::uint8_t>>& server_hellos() const { return server_hellos_; }
  bool certificate_requested() const { return certificate_requested_; }
  // NewSessionTicket messages received: a TLS 1.3 server sends them once it has accepted the
  // client's Finished, and with it any client certificate.
  std::size_t session_tickets() const { return session_tickets_; }
  const std::vector<AlertRecord>& alerts() const { return alerts_; }
  // Raw bytes read from the socket (records and anything that is not TLS).
  std::size_t bytes_received() const { return bytes_received_; }

 private:
  static void on_message(int write_p, int version, int content_type, const void* buf, std::size_t len, SSL* ssl,
                         void* arg);
  static long on_read(BIO* bio, int oper, const char* argp, std::size_t len, int argi, long argl, int ret,
                      std::size_t* processed);
  void record_handshake(bool sent, const std::uint8_t* bytes, std::size_t len);
  void record_alert(bool sent, const std::uint8_t* bytes, std::size_t len);

  SSL* ssl_ = nullptr;
  BIO* read_bio_ = nullptr;
  std::vector<std::vector<std::uint8_t>> client_hellos_;
  std::size_t client_hellos_sent_ = 0;
  std::vector<std::vector<std::uint8_t>> server_hellos_;
  bool certificate_requested_ = false;
  std::size_t session_tickets_ = 0;
  std::vector<AlertRecord> alerts_;
  std::size_t bytes_received_ = 0;
};

}  // namespace tlsdoctor::tls
