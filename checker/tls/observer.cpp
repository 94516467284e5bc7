// Records what passes through one client handshake, with everything it keeps bounded by named caps.
#include "tls/observer.h"

#include <openssl/bio.h>

#include "tls/client_hello.h"
#include "tls/failure.h"

namespace tlsdoctor::tls {
namespace {

// RFC 8446 section 6: alert level 2 is fatal.
constexpr std::uint8_t kAlertLevelFatal = 2;

}  // namespace

HandshakeObserver::~HandshakeObserver() { detach(); }

void HandshakeObserver::attach(SSL* ssl) {
  detach();
  ssl_ = ssl;
  SSL_set_msg_callback(ssl, &HandshakeObserver::on_message);
  SSL_set_msg_callback_arg(ssl, this);
  read_bio_ = SSL_get_rbio(ssl);
  if (read_bio_ != nullptr) {
    BIO_set_callback_ex(read_bio_, &HandshakeObserver::on_read);
    BIO_set_callback_arg(read_bio_, reinterpret_cast<char*>(this));
  }
}

void HandshakeObserver::detach() {
  if (ssl_ == nullptr) return;
  SSL_set_msg_callback(ssl_, nullptr);
  SSL_set_msg_callback_arg(ssl_, nullptr);
  if (read_bio_ != nullptr && SSL_get_rbio(ssl_) == read_bio_) {
    BIO_set_callback_ex(read_bio_, nullptr);
    BIO_set_callback_arg(read_bio_, nullptr);
  }
  ssl_ = nullptr;
  read_bio_ = nullptr;
}

void HandshakeObserver::on_message(int write_p, int /*version*/, int content_type, const void* buf, std::size_t len,
                                   SSL* /*ssl*/, void* arg) {
  auto* self = static_cast<HandshakeObserver*>(arg);
  if (self == nullptr || buf == nullptr) return;
  const auto* bytes = static_cast<const std::uint8_t*>(buf);
  // Handshake messages come whole (header included) and decrypted; record headers, TLS 1.3
  // inner content types and ChangeCipherSpec tell nothing the rest does not.
  if (content_type == SSL3_RT_HANDSHAKE) self->record_handshake(write_p != 0, bytes, len);
  if (content_type == SSL3_RT_ALERT) self->record_alert(write_p != 0, bytes, len);
}

long HandshakeObserver::on_read(BIO* bio, int oper, const char* /*argp*/, std::size_t /*len*/, int /*argi*/,
                                long /*argl*/, int ret, std::size_t* processed) {
  if (oper == (BIO_CB_READ | BIO_CB_RETURN) && ret > 0 && processed != nullptr) {
    auto* self = reinterpret_cast<HandshakeObserver*>(BIO_get_callback_arg(bio));
    if (self != nullptr) self->bytes_received_ += *processed;
  }
  return ret;
}

void HandshakeObserver::record_handshake(bool sent, const std::uint8_t* bytes, std::size_t len) {
  if (len == 0) return;
  const std::uint8_t type = bytes[0];
  if (sent && type == SSL3_MT_CLIENT_HELLO) {
    ++client_hellos_sent_;
    if (client_hellos_.size() < kMaxRecordedHellos && len <= kMaxClientHelloBytes) {
      client_hellos_.emplace_back(bytes, bytes + len);
    }
  } else if (!sent && type == SSL3_MT_SERVER_HELLO) {
    // OpenSSL caps ServerHello well below this; the check keeps a future change from mattering.
    if (server_hellos_.size() < kMaxRecordedHellos && len <= kMaxClientHelloBytes) {
      server_hellos_.emplace_back(bytes, bytes + len);
    }
  } else if (!sent && type == SSL3_MT_CERTIFICATE_REQUEST) {
    certificate_requested_ = true;
  } else if (!sent && type == SSL3_MT_NEWSESSION_TICKET) {
    ++session_tickets_;
  }
}

void HandshakeObserver::record_alert(bool sent, const std::uint8_t* bytes, std::size_t len) {
  if (len < 2 || alerts_.size() >= kMaxRecordedAlerts) return;
  AlertRecord alert;
  alert.sent = sent;
  alert.fatal = bytes[0] == kAlertLevelFatal;
  alert.description = bytes[1];
  alert.name = alert_name(alert.description);
  alerts_.push_back(std::move(alert));
}

}  // namespace tlsdoctor::tls
