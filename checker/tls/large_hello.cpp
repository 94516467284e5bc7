// ClientHello padding through a GREASE-typed extension sized by measurement, and detection of hybrid key shares.
#include "tls/large_hello.h"

#include <algorithm>

#include <openssl/bio.h>
#include <openssl/err.h>

#include "tls/openssl_handles.h"

namespace tlsdoctor::tls {
namespace {

// Handshake header: type (1) and 24-bit length (3).
constexpr std::size_t kHandshakeHeaderBytes = 4;
// Extension header: type (2) and length (2).
constexpr std::size_t kExtensionHeaderBytes = 4;
// Record header: type (1), version (2), length (2).
constexpr std::size_t kRecordHeaderBytes = 5;

int add_padding(SSL* /*ssl*/, unsigned int /*ext_type*/, unsigned int /*context*/, const unsigned char** out,
                size_t* outlen, X509* /*x*/, size_t /*chainidx*/, int* /*al*/, void* add_arg) {
  const auto* padding = static_cast<const HelloPadding*>(add_arg);
  if (padding == nullptr || !padding->data_length) return 0;  // 0: leave the extension out
  *out = padding->zeros.data();
  *outlen = *padding->data_length;
  return 1;
}

}  // namespace

tl::expected<std::unique_ptr<HelloPadding>, std::string> add_hello_padding(SSL_CTX* ctx) {
  auto padding = std::make_unique<HelloPadding>();
  // The data points into `zeros`, owned by HelloPadding, so OpenSSL needs no free callback.
  if (SSL_CTX_add_custom_ext(ctx, kPaddingExtensionType, SSL_EXT_CLIENT_HELLO, add_padding, nullptr, padding.get(),
                             nullptr, nullptr) != 1) {
    ERR_clear_error();
    return tl::unexpected(std::string("OpenSSL refused the ClientHello padding extension"));
  }
  return padding;
}

std::optional<std::size_t> measure_client_hello(SSL* ssl) {
  BIO* incoming = BIO_new(BIO_s_mem());
  BIO* outgoing = BIO_new(BIO_s_mem());
  if (incoming == nullptr || outgoing == nullptr) {
    BIO_free(incoming);
    BIO_free(outgoing);
    return std::nullopt;
  }
  // An empty input that says "try again" rather than EOF, so OpenSSL stops after writing its
  // ClientHello and waits for a ServerHello that never comes.
  BIO_set_mem_eof_return(incoming, -1);
  SSL_set_bio(ssl, incoming, outgoing);  // the SSL owns both now
  SSL_set_connect_state(ssl);
  ERR_clear_error();
  const int rc = SSL_do_handshake(ssl);
  if (rc == 1 || SSL_get_error(ssl, rc) != SSL_ERROR_WANT_READ) {
    ERR_clear_error();
    return std::nullopt;
  }
  char* data = nullptr;
  const long written = BIO_get_mem_data(outgoing, &data);
  if (written < static_cast<long>(kRecordHeaderBytes + kHandshakeHeaderBytes) || data == nullptr) return std::nullopt;
  const auto* bytes = reinterpret_cast<const unsigned char*>(data);
  // The first record carries the start of the ClientHello, whose header holds its length even
  // when the message spans several records.
  if (bytes[0] != SSL3_RT_HANDSHAKE || bytes[kRecordHeaderBytes] != SSL3_MT_CLIENT_HELLO) return std::nullopt;
  const std::size_t body = (std::size_t{bytes[6]} << 16) | (std::size_t{bytes[7]} << 8) | bytes[8];
  return kHandshakeHeaderBytes + body;
}

void size_hello_padding(SSL_CTX* ctx, HelloPadding& padding, std::size_t pad_to,
                        const std::function<bool(SSL*)>& configure) {
  padding.data_length.reset();
  pad_to = std::min(pad_to, kMaxPaddedHelloBytes);
  SslPtr trial(SSL_new(ctx));
  if (!trial || !configure(trial.get())) {
    ERR_clear_error();
    return;
  }
  const auto unpadded = measure_client_hello(trial.get());
  if (!unpadded || *unpadded >= pad_to) return;
  const std::size_t missing = pad_to - *unpadded;
  // The extension's own header counts towards the size; a gap smaller than it is closed by an
  // empty extension (a hello at most 3 bytes over the target).
  padding.data_length = missing > kExtensionHeaderBytes ? missing - kExtensionHeaderBytes : 0;
  padding.zeros.assign(*padding.data_length, 0);
}

std::optional<std::string> hybrid_groups_list() {
  static const std::optional<std::string> available = []() -> std::optional<std::string> {
    SslCtxPtr ctx(SSL_CTX_new(TLS_client_method()));
    const bool ok = ctx && SSL_CTX_set1_groups_list(ctx.get(), kHybridGroupsList) == 1;
    ERR_clear_error();
    if (!ok) return std::nullopt;
    return std::string(kHybridGroupsList);
  }();
  return available;
}

}  // namespace tlsdoctor::tls
