// The wire behaviours of the scenario server: real TLS with a pacing, or raw bytes for the hostile peers.
#include "lab/scenario_behaviours.h"

#include <array>
#include <string_view>

#include "lab/scenario_tls.h"

namespace tlsdoctor::lab {
namespace {

// What a plain-HTTP server (nginx, Apache) answers a ClientHello with: the most common
// "not TLS" a client meets (a TLS port mapped to an HTTP one).
constexpr std::string_view kGarbageAnswer =
    "HTTP/1.1 400 Bad Request\r\n"
    "Content-Type: text/plain\r\n"
    "Content-Length: 11\r\n"
    "Connection: close\r\n"
    "\r\n"
    "Bad Request";

// RFC 8446 5.1 and 6: content type 21 (alert), legacy version 3,3, length 2, level 2 (fatal).
std::array<std::uint8_t, 7> fatal_alert_record(std::uint8_t description) {
  return {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, description};
}

std::span<const std::uint8_t> as_bytes(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

void take_hello(ServedConnection& record, std::vector<std::uint8_t> message) {
  record.sni = sni_of(message).value_or("");
  record.client_hello = std::move(message);
}

std::string io_text(IoStatus status, const ConnectionIo& io) {
  std::string text(describe(status));
  if (status == IoStatus::Error && !io.error().empty()) text += ": " + io.error();
  return text;
}

// The raw behaviours first need the ClientHello; without one there is nothing to misbehave to.
bool read_hello_or_publish(ConnectionIo& io, ServedConnection& record, RawClientHello& hello,
                           const std::function<void(ServedConnection)>& publish) {
  hello = read_client_hello(io);
  if (!hello.message.empty()) {
    take_hello(record, hello.message);
    return true;
  }
  record.failure = hello.problem;
  publish(std::move(record));
  return false;
}

void never_answer(ConnectionIo& io, const std::function<void(ServedConnection)>& publish) {
  ServedConnection record;
  const RawClientHello hello = read_client_hello(io);
  take_hello(record, hello.message);
  // Whatever came (a hello, or bytes that are not TLS), the answer is silence until someone gives up.
  const IoStatus end = hello.status != IoStatus::Ok ? hello.status : io.discard_until_closed();
  record.failure = "never answered (lab behaviour) until: " + io_text(end, io);
  publish(std::move(record));
}

void answer_raw(const ScenarioOptions& options, ConnectionIo& io,
                const std::function<void(ServedConnection)>& publish) {
  ServedConnection record;
  RawClientHello hello;
  if (!read_hello_or_publish(io, record, hello, publish)) return;
  switch (options.behaviour) {
    case Behaviour::Garbage:
      io.write_all(as_bytes(kGarbageAnswer));
      record.failure = "answered with an HTTP response (lab behaviour)";
      break;
    case Behaviour::FatalAlert: {
      const auto alert = fatal_alert_record(options.alert);
      io.write_all(alert);
      record.failure = "sent fatal alert " + std::to_string(options.alert) + " (lab behaviour)";
      break;
    }
    default:  // ResetAfterHello
      io.arm_reset();
      record.failure = "reset after the ClientHello (lab behaviour)";
      publish(std::move(record));
      return;  // the owner's close sends the RST
  }
  publish(std::move(record));
  io.close_gracefully();
}

Pacing pacing_for(Behaviour behaviour) {
  switch (behaviour) {
    case Behaviour::OneBytePerSecond: return Pacing::OneBytePerSecond;
    case Behaviour::CloseMidHandshake: return Pacing::CutFirstRecord;
    default: return Pacing::AllAtOnce;
  }
}

void serve_handshake(const ScenarioOptions& options, const ScenarioContexts& contexts, ConnectionIo& io,
                     const std::function<void(ServedConnection)>& publish) {
  ServedConnection record;
  std::vector<std::uint8_t> already_read;
  if (options.behaviour == Behaviour::DropLargeHello) {
    // A middlebox that loses large segments: the server never answers a large hello; a small
    // one passes through to a good server.
    RawClientHello hello;
    if (!read_hello_or_publish(io, record, hello, publish)) return;
    if (hello.record_bytes > options.drop_hello_over) {
      const IoStatus end = io.discard_until_closed();
      record.failure = "dropped a ClientHello of " + std::to_string(hello.record_bytes) + " bytes (over " +
                       std::to_string(options.drop_hello_over) + ", lab behaviour) until: " + io_text(end, io);
      publish(std::move(record));
      return;
    }
    already_read = std::move(hello.received);
  }
  TlsOutcome outcome = serve_tls(contexts.default_ctx.get(), io, pacing_for(options.behaviour), already_read);
  take_hello(record, std::move(outcome.client_hello));
  record.handshake_completed = outcome.completed;
  record.failure = std::move(outcome.failure);
  publish(std::move(record));
  io.close_gracefully();
}

}  // namespace

void serve_connection(const ScenarioOptions& options, const ScenarioContexts& contexts, ConnectionIo& io,
                      const std::function<void(ServedConnection)>& publish) {
  switch (options.behaviour) {
    case Behaviour::NeverAnswers: never_answer(io, publish); return;
    case Behaviour::Garbage:
    case Behaviour::FatalAlert:
    case Behaviour::ResetAfterHello: answer_raw(options, io, publish); return;
    default: serve_handshake(options, contexts, io, publish); return;
  }
}

}  // namespace tlsdoctor::lab
