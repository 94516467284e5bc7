// Runs the loopback measurement: one client handshake per TLS version against the pinned loopback server.
#include "tls/loopback.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "tls/handshake_io.h"
#include "tls/loopback_server.h"
#include "tls/openssl_errors.h"
#include "tls/openssl_handles.h"

namespace tlsdoctor::tls {
namespace {

using Clock = std::chrono::steady_clock;

// The first alert of a handshake, recorded by OpenSSL's info callback through the SSL's app data.
struct AlertRecord {
  std::optional<std::string> text;
};

void record_alert(const SSL* ssl, int where, int value) {
  if ((where & SSL_CB_ALERT) == 0) return;
  auto* record = static_cast<AlertRecord*>(SSL_get_app_data(ssl));
  if (record == nullptr || record->text) return;
  record->text = std::string((where & SSL_CB_READ) != 0 ? "received: " : "sent: ") +
                 SSL_alert_desc_string_long(value);
}

std::chrono::milliseconds since(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
}

void refuse_with(LoopbackResult& result, const std::vector<OpenSslError>& errors, std::string fallback) {
  result.outcome = LoopbackOutcome::Refused;
  result.reason = first_reason(errors, std::move(fallback));
  if (!errors.empty()) result.detail = errors.front().text;
}

// One client handshake at `version` against `address`; `server`, when it is ours, adds its own
// view of a failure.
LoopbackResult measure_one(const std::optional<sockaddr_in>& address, const LoopbackServer* server, TlsVersion version,
                           const Deadline& deadline) {
  LoopbackResult result;
  result.version = version;
  const auto started = Clock::now();
  if (deadline.expired()) {
    result.reason = "the run's deadline was reached first";
    return result;
  }
  if (!address) {
    result.reason = "no server for this version";
    return result;
  }

  // A client exactly as any program would create it: this picks up the system_default section
  // of the OpenSSL configuration this process loaded (OPENSSL_CONF or the default file).
  ERR_clear_error();
  SslCtxPtr ctx(SSL_CTX_new(TLS_client_method()));
  if (!ctx) {
    refuse_with(result, take_openssl_errors(), "OpenSSL cannot create a client under the system configuration");
    result.duration = since(started);
    return result;
  }
  // No certificate verification: the question is which protocol versions the policy allows,
  // not whether this throwaway self-signed certificate is trusted.
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_NONE, nullptr);
  // Only lower the maximum; never raise it past what the policy says, never touch the minimum
  // (a policy minimum of TLS 1.3 must make the TLS 1.2 attempt fail).
  const long policy_max = SSL_CTX_get_max_proto_version(ctx.get());
  const int wanted = to_openssl(version);
  const long cap = policy_max != 0 && policy_max < wanted ? policy_max : wanted;
  SSL_CTX_set_max_proto_version(ctx.get(), cap);
  SSL_CTX_set_info_callback(ctx.get(), record_alert);
  ERR_clear_error();

  const int done_before = server != nullptr ? server->connections_done(version) : 0;
  auto socket = connect_tcp(*address, deadline.sub(kLoopbackConnectTimeout));
  if (!socket) {
    result.reason = socket.error();
    result.duration = since(started);
    return result;
  }
  SslPtr ssl(SSL_new(ctx.get()));
  AlertRecord alert;
  if (!ssl || SSL_set_fd(ssl.get(), socket->get()) != 1) {
    result.reason = first_reason(take_openssl_errors(), "cannot set up the client");
    result.duration = since(started);
    return result;
  }
  SSL_set_app_data(ssl.get(), &alert);
  const auto io = run_handshake(ssl.get(), HandshakeSide::Client, deadline.sub(kLoopbackHandshakeTimeout));
  if (io.ok) {
    result.outcome = LoopbackOutcome::Accepted;
    result.negotiated = SSL_get_version(ssl.get());
    result.cipher = SSL_get_cipher_name(ssl.get());
  } else if (io.timed_out) {
    result.reason = "handshake did not finish within " + std::to_string(kLoopbackHandshakeTimeout.count()) + " ms";
  } else {
    refuse_with(result, io.errors, io.ssl_error == SSL_ERROR_SYSCALL ? "connection closed by the server"
                                                                     : "handshake failed");
  }
  result.alert = alert.text;
  SSL_set_app_data(ssl.get(), nullptr);
  ssl.reset();
  *socket = UniqueFd();  // hang up, so a server still waiting for a ClientHello sees EOF now
  result.duration = since(started);
  if (!io.ok && server != nullptr) {
    // The server's own view helps tell a policy refusal from a server-side problem.
    if (auto seen = server->wait_for_connection(version, done_before, kLoopbackServerReportWait); seen && !seen->empty()) {
      result.server_reason = *seen;
    }
  }
  return result;
}

}  // namespace

std::string_view to_string(LoopbackOutcome outcome) {
  switch (outcome) {
    case LoopbackOutcome::Accepted: return "accepted";
    case LoopbackOutcome::Refused: return "refused";
    case LoopbackOutcome::NotRun: return "not_run";
  }
  return "not_run";
}

tl::expected<LoopbackReport, Error> measure_loopback(const Deadline& deadline, std::span<const TlsVersion> versions) {
  const auto started = Clock::now();
  // A peer that hangs up mid-handshake must not kill this process with SIGPIPE.
  const ScopedSigpipeBlock no_sigpipe;
  auto server = LoopbackServer::start(versions, kLoopbackHandshakeTimeout);
  if (!server) return tl::unexpected(server.error());
  LoopbackReport report;
  for (const TlsVersion version : versions) {
    report.results.push_back(measure_one((*server)->address(version), server->get(), version, deadline));
  }
  ERR_clear_error();
  report.duration = since(started);
  return report;
}

LoopbackReport measure_loopback_at(const sockaddr_in& address, const Deadline& deadline,
                                   std::span<const TlsVersion> versions) {
  const auto started = Clock::now();
  const ScopedSigpipeBlock no_sigpipe;
  LoopbackReport report;
  for (const TlsVersion version : versions) report.results.push_back(measure_one(address, nullptr, version, deadline));
  ERR_clear_error();
  report.duration = since(started);
  return report;
}

}  // namespace tlsdoctor::tls
