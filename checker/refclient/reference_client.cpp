// libcurl exchange with the reference: no trust in the local store, the ClientHello and chain captured, the signature checked.
#include "refclient/reference_client.h"

#include <chrono>

#include <curl/curl.h>
#include <openssl/ssl.h>

#include "pki/chain_verify.h"
#include "proxy/curl_handle.h"
#include "reference/protocol/messages.h"
#include "reference/protocol/protocol_version.h"
#include "refclient/certinfo.h"

namespace tlsdoctor::refclient {
namespace {

struct Transfer {
  std::string body;
  bool too_large = false;
  std::optional<std::string> key_id;
  std::optional<std::string> signature;
  std::vector<std::uint8_t> client_hello;
};

std::int64_t now_unix_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const std::size_t length = size * count;
  if (transfer->body.size() + length > reference::kMaxAnswerBytes) {
    transfer->too_large = true;
    return 0;  // libcurl stops the transfer with CURLE_WRITE_ERROR
  }
  transfer->body.append(data, length);
  return length;
}

bool header_is(std::string_view line, std::string_view name) {
  if (line.size() <= name.size() || line[name.size()] != ':') return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(line[i])) != std::tolower(static_cast<unsigned char>(name[i]))) {
      return false;
    }
  }
  return true;
}

std::string header_value(std::string_view line, std::size_t name_length) {
  std::string_view value = line.substr(name_length + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) value.remove_suffix(1);
  return std::string(value);
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const std::string_view line(data, size * count);
  if (line.starts_with("HTTP/")) {  // a new response (after a redirect or 100): its headers count
    transfer->key_id.reset();
    transfer->signature.reset();
  } else if (header_is(line, reference::kKeyIdHeader)) {
    transfer->key_id = header_value(line, reference::kKeyIdHeader.size());
  } else if (header_is(line, reference::kSignatureHeader)) {
    transfer->signature = header_value(line, reference::kSignatureHeader.size());
  }
  return size * count;
}

// Keeps the first ClientHello this client writes (OpenSSL's message callback, set on libcurl's
// SSL_CTX before the handshake).
void on_message(int write_p, int, int content_type, const void* buf, std::size_t len, SSL*, void* arg) {
  auto* hello = static_cast<std::vector<std::uint8_t>*>(arg);
  const auto* bytes = static_cast<const std::uint8_t*>(buf);
  if (write_p == 1 && content_type == SSL3_RT_HANDSHAKE && len > 0 && bytes[0] == 1 && hello->empty()) {
    hello->assign(bytes, bytes + len);
  }
}

CURLcode prepare_ssl_ctx(CURL*, void* ssl_ctx, void* user) {
  SSL_CTX_set_msg_callback(static_cast<SSL_CTX*>(ssl_ctx), on_message);
  SSL_CTX_set_msg_callback_arg(static_cast<SSL_CTX*>(ssl_ctx), user);
  return CURLE_OK;
}

std::string host_of(const std::string& url) {
  std::string_view rest = url;
  if (const auto scheme = rest.find("://"); scheme != std::string_view::npos) rest.remove_prefix(scheme + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (const auto at = rest.rfind('@'); at != std::string_view::npos) rest.remove_prefix(at + 1);
  if (!rest.empty() && rest.front() == '[') return std::string(rest.substr(1, rest.find(']') - 1));
  return std::string(rest.substr(0, rest.find(':')));
}

void verify_locally(ReferenceExchange& exchange) {
  if (exchange.peer_chain.empty()) return;
  pki::VerifyRequest request;
  request.chain = exchange.peer_chain;
  request.host = host_of(exchange.url);
  auto verified = pki::verify_chain(request);
  if (!verified) {
    exchange.local_verify_error = verified.error().input + ": " + verified.error().message;
    return;
  }
  exchange.locally_trusted = verified->ok;
  exchange.built_spki_sha256 = verified->built_spki_sha256;
  if (!verified->ok && !verified->errors.empty()) exchange.local_verify_error = verified->errors.front().message;
}

// GET, or POST of a JSON body when `json_body` is given.
ReferenceExchange exchange_with(const ReferenceTarget& target, std::string_view path, std::string_view kind,
                                const std::string* json_body, const Deadline& deadline) {
  ReferenceExchange exchange;
  std::string base = target.url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  exchange.url = base + std::string(path);
  const std::string nonce = reference::make_nonce();
  const std::string url = exchange.url + "?nonce=" + nonce;
  const auto budget = deadline.remaining();
  if (budget.count() <= 0) {
    exchange.error = "no time left before the run's deadline";
    return exchange;
  }
  proxy::CurlEasy curl = proxy::make_curl_easy();
  if (!curl) {
    exchange.error = "libcurl could not start";
    return exchange;
  }
  Transfer transfer;
  auto made_resolve = proxy::make_curl_slist(target.resolve);
  auto made_headers = proxy::make_curl_slist({"Content-Type: application/json"});
  if (!made_resolve || !made_headers) {
    exchange.error = "libcurl ran out of memory";
    return exchange;
  }
  const proxy::CurlSlist resolve = std::move(*made_resolve);
  const proxy::CurlSlist headers = std::move(*made_headers);
  char error_buffer[CURL_ERROR_SIZE] = {};
  CURL* h = curl.get();
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "https");
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  // The signature is the trust: the chain is recorded and judged, never a reason to stop.
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
  curl_easy_setopt(h, CURLOPT_CERTINFO, 1L);
  curl_easy_setopt(h, CURLOPT_SSL_CTX_FUNCTION, prepare_ssl_ctx);
  curl_easy_setopt(h, CURLOPT_SSL_CTX_DATA, &transfer.client_hello);
  curl_easy_setopt(h, CURLOPT_PROXY, target.proxy ? target.proxy->c_str() : "");
  curl_easy_setopt(h, CURLOPT_NOPROXY, "");
  if (resolve) curl_easy_setopt(h, CURLOPT_RESOLVE, resolve.get());
  if (json_body != nullptr) {
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, static_cast<long>(json_body->size()));
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, json_body->c_str());
  }
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(budget.count()));
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(budget.count()));
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &transfer);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(h, CURLOPT_USERAGENT, "tlsdoctor");
  exchange.sent_unix_ms = now_unix_ms();
  const CURLcode code = curl_easy_perform(h);
  exchange.received_unix_ms = now_unix_ms();
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, nullptr);
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &exchange.http_status);
  exchange.peer_chain = peer_chain_of(h);
  exchange.client_hello_sent = std::move(transfer.client_hello);
  verify_locally(exchange);
  if (code != CURLE_OK) {
    exchange.error = transfer.too_large ? "the answer is larger than the protocol allows"
                                        : (error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(code));
    exchange.reachable = false;
    return exchange;
  }
  exchange.reachable = true;
  auto checked = reference::check_answer(
      reference::SignedBody{std::move(transfer.body), std::move(transfer.key_id), std::move(transfer.signature)},
      target.keys, exchange.http_status >= 400 ? "error" : kind, nonce);
  if (checked) {
    exchange.answer = std::move(*checked);
  } else {
    exchange.refused = std::move(checked.error());
  }
  return exchange;
}

}  // namespace

ReferenceExchange fetch(const ReferenceTarget& target, std::string_view path, std::string_view kind,
                        const Deadline& deadline) {
  return exchange_with(target, path, kind, nullptr, deadline);
}

ReferenceExchange post(const ReferenceTarget& target, std::string_view path, std::string_view kind,
                       const std::string& json_body, const Deadline& deadline) {
  return exchange_with(target, path, kind, &json_body, deadline);
}

}  // namespace tlsdoctor::refclient
