// Memory-BIO handshakes: a client's first flight, and ServerHellos from a full client-server exchange.
#include "lab/memory_handshake.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "lab/scenario_server.h"
#include "tls/openssl_handles.h"

namespace tlsdoctor::lab {
namespace {

using tls::SslCtxPtr;
using tls::SslPtr;

// A client and a server need a handful of round trips; more means neither can make progress.
constexpr int kMaxHandshakeSteps = 32;

struct SeenMessages {
  std::vector<std::vector<std::uint8_t>> client_hellos_sent;
  std::vector<std::vector<std::uint8_t>> server_hellos_received;
};

void record_message(int write_p, int /*version*/, int content_type, const void* buf, std::size_t len, SSL* /*ssl*/,
                    void* arg) {
  if (content_type != SSL3_RT_HANDSHAKE || len == 0) return;
  auto* seen = static_cast<SeenMessages*>(arg);
  const auto* bytes = static_cast<const std::uint8_t*>(buf);
  if (write_p == 1 && bytes[0] == SSL3_MT_CLIENT_HELLO) seen->client_hellos_sent.emplace_back(bytes, bytes + len);
  if (write_p == 0 && bytes[0] == SSL3_MT_SERVER_HELLO) seen->server_hellos_received.emplace_back(bytes, bytes + len);
}

std::string openssl_failure(const std::string& step) {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  char text[256] = "no OpenSSL error";
  if (code != 0) ERR_error_string_n(code, text, sizeof(text));
  return step + ": " + text;
}

std::vector<std::uint8_t> alpn_wire(const std::vector<std::string>& protocols) {
  std::vector<std::uint8_t> wire;
  for (const auto& p : protocols) {
    wire.push_back(static_cast<std::uint8_t>(p.size()));
    wire.insert(wire.end(), p.begin(), p.end());
  }
  return wire;
}

tl::expected<SslPtr, std::string> make_client(const MemoryClientOptions& options, SeenMessages& seen) {
  SslCtxPtr ctx(SSL_CTX_new(TLS_client_method()));
  if (!ctx) return tl::unexpected(openssl_failure("client context"));
  if ((options.min_version != 0 && SSL_CTX_set_min_proto_version(ctx.get(), options.min_version) != 1) ||
      (options.max_version != 0 && SSL_CTX_set_max_proto_version(ctx.get(), options.max_version) != 1)) {
    return tl::unexpected(openssl_failure("client versions"));
  }
  if (!options.groups.empty() && SSL_CTX_set1_groups_list(ctx.get(), options.groups.c_str()) != 1) {
    return tl::unexpected(openssl_failure("client groups"));
  }
  if (!options.sigalgs.empty() && SSL_CTX_set1_sigalgs_list(ctx.get(), options.sigalgs.c_str()) != 1) {
    return tl::unexpected(openssl_failure("client sigalgs"));
  }
  if (!options.cipher_list.empty() && SSL_CTX_set_cipher_list(ctx.get(), options.cipher_list.c_str()) != 1) {
    return tl::unexpected(openssl_failure("client ciphers"));
  }
  SSL_CTX_set_msg_callback(ctx.get(), record_message);
  SSL_CTX_set_msg_callback_arg(ctx.get(), &seen);
  SslPtr ssl(SSL_new(ctx.get()));
  if (!ssl) return tl::unexpected(openssl_failure("client SSL"));
  if (options.sni && SSL_set_tlsext_host_name(ssl.get(), options.sni->c_str()) != 1) {
    return tl::unexpected(openssl_failure("client SNI"));
  }
  if (!options.alpn.empty()) {
    const auto wire = alpn_wire(options.alpn);
    // SSL_set_alpn_protos returns 0 on success.
    if (SSL_set_alpn_protos(ssl.get(), wire.data(), static_cast<unsigned>(wire.size())) != 0) {
      return tl::unexpected(openssl_failure("client ALPN"));
    }
  }
  if (options.status_request) SSL_set_tlsext_status_type(ssl.get(), TLSEXT_STATUSTYPE_ocsp);
  SSL_set_connect_state(ssl.get());
  return ssl;
}

int select_alpn(SSL* /*ssl*/, const unsigned char** out, unsigned char* outlen, const unsigned char* in,
                unsigned int inlen, void* arg) {
  const auto* accepted = static_cast<const std::vector<std::uint8_t>*>(arg);
  unsigned char* chosen = nullptr;
  if (SSL_select_next_proto(&chosen, outlen, accepted->data(), static_cast<unsigned>(accepted->size()), in, inlen) !=
      OPENSSL_NPN_NEGOTIATED) {
    return SSL_TLSEXT_ERR_NOACK;
  }
  *out = chosen;
  return SSL_TLSEXT_ERR_OK;
}

}  // namespace

tl::expected<MemoryHello, std::string> openssl_client_hello(const MemoryClientOptions& options) {
  SeenMessages seen;
  auto ssl = make_client(options, seen);
  if (!ssl) return tl::unexpected(ssl.error());
  BIO* input = BIO_new(BIO_s_mem());
  BIO* output = BIO_new(BIO_s_mem());
  if (input == nullptr || output == nullptr) {
    BIO_free(input);
    BIO_free(output);
    return tl::unexpected(openssl_failure("memory BIOs"));
  }
  SSL_set_bio(ssl->get(), input, output);  // the SSL owns both from here
  // No server answers: SSL_connect writes the ClientHello and then wants to read.
  const int connected = SSL_connect(ssl->get());
  if (connected == 1 || SSL_get_error(ssl->get(), connected) != SSL_ERROR_WANT_READ) {
    return tl::unexpected(openssl_failure("SSL_connect"));
  }
  char* data = nullptr;
  const long length = BIO_get_mem_data(output, &data);
  MemoryHello hello;
  if (length > 0) hello.records.assign(data, data + length);
  if (seen.client_hellos_sent.size() != 1) return tl::unexpected(std::string("no ClientHello seen"));
  hello.message = seen.client_hellos_sent.front();
  ERR_clear_error();
  return hello;
}

tl::expected<std::vector<std::vector<std::uint8_t>>, std::string> openssl_server_hellos(
    const MemoryClientOptions& client_options, const MemoryServerOptions& server_options) {
  SeenMessages seen;
  auto client = make_client(client_options, seen);
  if (!client) return tl::unexpected(client.error());

  SslCtxPtr server_ctx(SSL_CTX_new(TLS_server_method()));
  if (!server_ctx) return tl::unexpected(openssl_failure("server context"));
  const LabPki& pki = lab_pki();
  if (SSL_CTX_use_certificate(server_ctx.get(), pki.intermediate.cert.get()) != 1 ||
      SSL_CTX_use_PrivateKey(server_ctx.get(), pki.intermediate.key.get()) != 1) {
    return tl::unexpected(openssl_failure("server certificate"));
  }
  if (server_options.max_version != 0 &&
      SSL_CTX_set_max_proto_version(server_ctx.get(), server_options.max_version) != 1) {
    return tl::unexpected(openssl_failure("server versions"));
  }
  if (!server_options.groups.empty() && SSL_CTX_set1_groups_list(server_ctx.get(), server_options.groups.c_str()) != 1) {
    return tl::unexpected(openssl_failure("server groups"));
  }
  const auto accepted = alpn_wire(server_options.alpn_accept);
  if (!accepted.empty()) {
    SSL_CTX_set_alpn_select_cb(server_ctx.get(), select_alpn, const_cast<std::vector<std::uint8_t>*>(&accepted));
  }
  SSL_CTX_set_num_tickets(server_ctx.get(), 0);
  SslPtr server(SSL_new(server_ctx.get()));
  if (!server) return tl::unexpected(openssl_failure("server SSL"));
  SSL_set_accept_state(server.get());

  BIO* client_end = nullptr;
  BIO* server_end = nullptr;
  if (BIO_new_bio_pair(&client_end, 0, &server_end, 0) != 1) return tl::unexpected(openssl_failure("BIO pair"));
  SSL_set_bio(client->get(), client_end, client_end);
  SSL_set_bio(server.get(), server_end, server_end);

  bool client_done = false;
  bool server_done = false;
  for (int step = 0; step < kMaxHandshakeSteps && !(client_done && server_done); ++step) {
    if (!client_done) {
      const int r = SSL_do_handshake(client->get());
      client_done = r == 1;
      if (r != 1 && SSL_get_error(client->get(), r) != SSL_ERROR_WANT_READ) {
        return tl::unexpected(openssl_failure("client handshake"));
      }
    }
    if (!server_done) {
      const int r = SSL_do_handshake(server.get());
      server_done = r == 1;
      if (r != 1 && SSL_get_error(server.get(), r) != SSL_ERROR_WANT_READ) {
        return tl::unexpected(openssl_failure("server handshake"));
      }
    }
  }
  if (!client_done || !server_done) return tl::unexpected(std::string("the handshake did not finish"));
  ERR_clear_error();
  return seen.server_hellos_received;
}

}  // namespace tlsdoctor::lab
