// A TLS server over memory BIOs: OpenSSL computes the handshake, the pacing decides how its bytes go out.
#include "lab/scenario_tls.h"

#include <poll.h>

#include <algorithm>
#include <array>

#include <openssl/err.h>

#include "tls/openssl_errors.h"
#include "tls/openssl_handles.h"

namespace tlsdoctor::lab {
namespace {

constexpr std::size_t kRecordHeaderBytes = 5;

void on_message(int write_p, int /*version*/, int content_type, const void* buf, std::size_t len, SSL* /*ssl*/,
                void* arg) {
  const auto* bytes = static_cast<const std::uint8_t*>(buf);
  if (write_p != 0 || content_type != SSL3_RT_HANDSHAKE || len < 4 || bytes[0] != SSL3_MT_CLIENT_HELLO) return;
  auto* hello = static_cast<std::vector<std::uint8_t>*>(arg);
  if (hello->empty()) hello->assign(bytes, bytes + len);  // the first one; a second follows a HelloRetryRequest
}

class Pump {
 public:
  Pump(BIO* in, BIO* out, ConnectionIo& io, Pacing pacing) : in_(in), out_(out), io_(io), pacing_(pacing) {}

  bool cut() const { return cut_; }

  // Sends what OpenSSL has written so far, as the pacing says.
  IoStatus flush() {
    std::vector<std::uint8_t> pending(BIO_ctrl_pending(out_));
    if (pending.empty()) return IoStatus::Ok;
    const int got = BIO_read(out_, pending.data(), static_cast<int>(pending.size()));
    pending.resize(got > 0 ? static_cast<std::size_t>(got) : 0);
    switch (pacing_) {
      case Pacing::AllAtOnce: return io_.write_all(pending);
      case Pacing::CutFirstRecord: {
        std::size_t keep = pending.size();
        if (pending.size() >= kRecordHeaderBytes) {
          const std::size_t record = (std::size_t{pending[3]} << 8) | pending[4];
          keep = std::min(pending.size(), kRecordHeaderBytes + record / 2);
        }
        cut_ = true;
        return io_.write_all(std::span(pending).first(keep));
      }
      case Pacing::OneBytePerSecond:
        for (const std::uint8_t byte : pending) {
          if (const auto status = io_.write_all(std::span(&byte, 1)); status != IoStatus::Ok) return status;
          if (const auto status = listen_for(kTrickleInterval); status != IoStatus::Ok) return status;
        }
        return IoStatus::Ok;
    }
    return IoStatus::Ok;
  }

  // Waits for the client's next bytes and hands them to OpenSSL.
  IoStatus feed() {
    std::array<std::uint8_t, kScenarioReadChunk> chunk{};
    std::size_t read = 0;
    if (const auto status = io_.read_some(chunk, read); status != IoStatus::Ok) return status;
    give(std::span(chunk).first(read));
    return IoStatus::Ok;
  }

  void give(std::span<const std::uint8_t> bytes) {
    if (!bytes.empty()) BIO_write(in_, bytes.data(), static_cast<int>(bytes.size()));
  }

 private:
  // Lets `interval` pass while keeping an ear on the client: what it sends is kept for OpenSSL,
  // and its hanging up ends the wait at once.
  IoStatus listen_for(std::chrono::milliseconds interval) {
    const Deadline until = io_.deadline().sub(interval);
    for (;;) {
      if (BIO_ctrl_pending(in_) >= kMaxBufferedClientBytes) return io_.pause(until.remaining());
      const auto status = io_.wait_until(POLLIN, until);
      if (status == IoStatus::TimedOut) return io_.deadline().expired() ? IoStatus::TimedOut : IoStatus::Ok;
      if (status != IoStatus::Ok) return status;
      std::array<std::uint8_t, kScenarioReadChunk> chunk{};
      std::size_t read = 0;
      if (const auto got = io_.read_available(chunk, read); got != IoStatus::Ok) return got;
      give(std::span(chunk).first(read));
    }
  }

  BIO* in_;
  BIO* out_;
  ConnectionIo& io_;
  Pacing pacing_;
  bool cut_ = false;
};

std::string io_failure(IoStatus status, const ConnectionIo& io) {
  std::string text(describe(status));
  if (status == IoStatus::Error && !io.error().empty()) text += ": " + io.error();
  return text + " during the handshake";
}

}  // namespace

TlsOutcome serve_tls(SSL_CTX* ctx, ConnectionIo& io, Pacing pacing, std::span<const std::uint8_t> already_read) {
  TlsOutcome outcome;
  tls::SslPtr ssl(SSL_new(ctx));
  BIO* in = BIO_new(BIO_s_mem());
  BIO* out = BIO_new(BIO_s_mem());
  if (!ssl || in == nullptr || out == nullptr) {
    BIO_free(in);
    BIO_free(out);
    outcome.failure = "cannot set up the server side: " + tls::first_reason(tls::take_openssl_errors(), "out of memory");
    return outcome;
  }
  // An empty input BIO means "wait for more", not end of stream.
  BIO_set_mem_eof_return(in, -1);
  SSL_set_bio(ssl.get(), in, out);  // the SSL owns both now
  SSL_set_msg_callback(ssl.get(), on_message);
  SSL_set_msg_callback_arg(ssl.get(), &outcome.client_hello);
  SSL_set_accept_state(ssl.get());

  Pump pump(in, out, io, pacing);
  pump.give(already_read);
  for (;;) {
    ERR_clear_error();
    const int rc = SSL_do_handshake(ssl.get());
    const int error = rc == 1 ? SSL_ERROR_NONE : SSL_get_error(ssl.get(), rc);
    const std::string reason = tls::first_reason(tls::take_openssl_errors());
    // Alerts OpenSSL wrote on failure go out too.
    const IoStatus sent = pump.flush();
    if (pump.cut()) {
      outcome.failure = "closed mid-handshake (lab behaviour)";
      return outcome;
    }
    if (rc == 1) {
      outcome.completed = true;
      break;
    }
    if (error != SSL_ERROR_WANT_READ) {
      outcome.failure = !reason.empty() ? reason : "handshake failed (SSL error " + std::to_string(error) + ")";
      return outcome;
    }
    if (sent != IoStatus::Ok) {
      outcome.failure = io_failure(sent, io);
      return outcome;
    }
    if (const IoStatus got = pump.feed(); got != IoStatus::Ok) {
      outcome.failure = io_failure(got, io);
      return outcome;
    }
  }
  SSL_shutdown(ssl.get());  // close_notify; the client need not answer it
  pump.flush();
  ERR_clear_error();
  return outcome;
}

}  // namespace tlsdoctor::lab
