// Tests for reference/server/reference_server.cpp: a real TLS server on loopback answering libcurl, with signed answers.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include <curl/curl.h>
#include <openssl/ssl.h>

#include "core/base64.h"
#include "lab/scenario_pki.h"
#include "lab/temp_tree.h"
#include "reference/protocol/answer_check.h"
#include "reference/protocol/messages.h"
#include "reference/protocol/protocol_version.h"
#include "reference/server/reference_server.h"
#include "tls/client_hello.h"

using namespace tlsdoctor;
using namespace tlsdoctor::reference;

namespace {

const SigningKey& signing_key() {
  static const SigningKey key = SigningKey::generate().value();
  return key;
}

ServerIdentity lab_identity() {
  lab::ScenarioOptions options;
  auto identity = lab::default_identity(options);
  REQUIRE(identity);
  ServerIdentity out;
  out.chain_pem = identity->certificate.cert_pem();
  for (const auto& cert : identity->chain) out.chain_pem += cert.cert_pem();
  out.key_pem = identity->certificate.key_pem();
  return out;
}

// One server for the whole file; the router must outlive it.
struct Running {
  Router router{signing_key()};
  std::unique_ptr<ReferenceServer> server;
  std::uint16_t port = 0;
};

Running& running() {
  static Running r;
  if (!r.server) {
    ServerSettings settings;
    settings.listen = {"127.0.0.1:0"};
    settings.identity = lab_identity();
    auto started = ReferenceServer::start(settings, r.router);
    REQUIRE(started);
    r.server = std::move(*started);
    r.port = r.server->ports().front();
  }
  return r;
}

struct Fetched {
  long status = 0;
  std::string body;
  std::optional<std::string> key_id;
  std::optional<std::string> signature;
  std::vector<std::uint8_t> client_hello_sent;
  std::string error;
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  static_cast<Fetched*>(user)->body.append(data, size * count);
  return size * count;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* fetched = static_cast<Fetched*>(user);
  std::string line(data, size * count);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  const auto colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    std::string value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (name == "tlsdoctor-key-id") fetched->key_id = value;
    if (name == "tlsdoctor-signature") fetched->signature = value;
  }
  return size * count;
}

void on_message(int write_p, int, int content_type, const void* buf, std::size_t len, SSL*, void* arg) {
  auto* sent = static_cast<std::vector<std::uint8_t>*>(arg);
  const auto* bytes = static_cast<const std::uint8_t*>(buf);
  if (write_p == 1 && content_type == SSL3_RT_HANDSHAKE && len > 0 && bytes[0] == 1 && sent->empty()) {
    sent->assign(bytes, bytes + len);
  }
}

CURLcode capture_hello(CURL*, void* ssl_ctx, void* user) {
  SSL_CTX_set_msg_callback(static_cast<SSL_CTX*>(ssl_ctx), on_message);
  SSL_CTX_set_msg_callback_arg(static_cast<SSL_CTX*>(ssl_ctx), user);
  return CURLE_OK;
}

Fetched fetch(const std::string& target, const std::string& post_body = "", long max_tls = 0,
              const std::string& extra_header = "") {
  static const lab::TempTree dir = lab::TempTree::create("tlsdoctor-ref-").value();
  const auto ca = dir.path() / "root.pem";
  if (!std::filesystem::exists(ca)) REQUIRE(lab::write_pem_bundle(ca, {&lab::lab_pki().root}));
  Fetched out;
  CURL* curl = curl_easy_init();
  REQUIRE(curl != nullptr);
  const std::string url = "https://" + std::string(lab::kLabHostName) + ":" + std::to_string(running().port) + target;
  const std::string resolve_entry =
      std::string(lab::kLabHostName) + ":" + std::to_string(running().port) + ":127.0.0.1";
  curl_slist* resolve = curl_slist_append(nullptr, resolve_entry.c_str());
  curl_slist* headers = extra_header.empty() ? nullptr : curl_slist_append(nullptr, extra_header.c_str());
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_RESOLVE, resolve);
  curl_easy_setopt(curl, CURLOPT_CAINFO, ca.c_str());
  curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 10000L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &out);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &out);
  curl_easy_setopt(curl, CURLOPT_SSL_CTX_FUNCTION, capture_hello);
  curl_easy_setopt(curl, CURLOPT_SSL_CTX_DATA, &out.client_hello_sent);
  if (headers != nullptr) curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  if (max_tls != 0) {
    curl_easy_setopt(curl, CURLOPT_SSLVERSION, CURL_SSLVERSION_TLSv1_0 | max_tls);
    curl_easy_setopt(curl, CURLOPT_SSL_CIPHER_LIST, "DEFAULT:@SECLEVEL=0");
  }
  if (!post_body.empty()) curl_easy_setopt(curl, CURLOPT_POSTFIELDS, post_body.c_str());
  const CURLcode code = curl_easy_perform(curl);
  if (code != CURLE_OK) out.error = curl_easy_strerror(code);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &out.status);
  curl_easy_cleanup(curl);
  curl_slist_free_all(resolve);
  curl_slist_free_all(headers);
  return out;
}

KeySet pinned() { return KeySet{{signing_key().public_key()}}; }

tl::expected<CheckedAnswer, AnswerFailure> check(const Fetched& fetched, std::string_view kind,
                                                 std::optional<std::string_view> nonce) {
  return check_answer(SignedBody{fetched.body, fetched.key_id, fetched.signature}, pinned(), kind, nonce);
}

}  // namespace

TEST_CASE("echo: a signed account of the ClientHello libcurl sent and of what was served", "[reference_server]") {
  const std::string nonce = make_nonce();
  const auto fetched = fetch("/v1/echo?nonce=" + nonce, "", 0, "X-Probe: 1");
  INFO(fetched.error << " " << fetched.body);
  REQUIRE(fetched.error.empty());
  CHECK(fetched.status == 200);
  const auto checked = check(fetched, "echo", nonce);
  REQUIRE(checked);
  const auto echo = echo_answer_from_json(checked->value);
  REQUIRE(echo);
  // The server saw exactly the bytes the client sent.
  REQUIRE_FALSE(fetched.client_hello_sent.empty());
  CHECK(echo->received.client_hello == fetched.client_hello_sent);
  CHECK(echo->received.sni == std::optional<std::string>(lab::kLabHostName));
  const auto parsed = tls::parse_client_hello(fetched.client_hello_sent);
  REQUIRE(parsed);
  CHECK_FALSE(echo->received.ja3.empty());
  CHECK(echo->received.ja3_hash.size() == 32);
  CHECK_FALSE(echo->received.ja4.empty());
  CHECK(echo->received.method == "GET");
  CHECK(echo->received.target == "/v1/echo?nonce=" + nonce);
  bool saw_probe_header = false;
  for (const auto& [name, value] : echo->received.headers) saw_probe_header |= name == "X-Probe" && value == "1";
  CHECK(saw_probe_header);
  CHECK(echo->received.peer.address == "127.0.0.1");
  CHECK(echo->received.peer.port != 0);
  CHECK(echo->served.version == "TLSv1.3");
  CHECK(echo->served.cipher.rfind("TLS_", 0) == 0);
  CHECK_FALSE(echo->served.group.empty());
  REQUIRE(echo->served.chain_sha256.size() == 2);  // the lab leaf and its intermediate
  CHECK(echo->served.chain_sha256.front().size() == 64);
}

TEST_CASE("echo over TLS 1.0: the reference completes handshakes old clients offer", "[reference_server]") {
  const std::string nonce = make_nonce();
  const auto fetched = fetch("/v1/echo?nonce=" + nonce, "", CURL_SSLVERSION_MAX_TLSv1_0);
  INFO(fetched.error << " " << fetched.body);
  REQUIRE(fetched.error.empty());
  const auto checked = check(fetched, "echo", nonce);
  REQUIRE(checked);
  CHECK(echo_answer_from_json(checked->value)->served.version == "TLSv1");
}

TEST_CASE("time and healthz answer, unknown paths and missing nonces get signed errors", "[reference_server]") {
  const std::string nonce = make_nonce();
  const auto time = fetch("/v1/time?nonce=" + nonce);
  REQUIRE(time.error.empty());
  const auto checked = check(time, "time", nonce);
  REQUIRE(checked);
  const auto answer = time_answer_from_json(checked->value);
  REQUIRE(answer);
  const auto now_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  CHECK(std::abs(now_ms - answer->envelope.time_unix_ms) < 60000);
  CHECK(answer->uncertainty_ms >= 0);

  const auto health = fetch("/healthz");
  CHECK(health.status == 200);
  CHECK(health.body == "ok\n");

  const auto missing = fetch("/nowhere?nonce=" + nonce);
  CHECK(missing.status == 404);
  const auto refused = check(missing, "error", nonce);
  REQUIRE(refused);
  CHECK(error_answer_from_json(refused->value)->code == "not_found");

  const auto no_nonce = fetch("/v1/time");
  CHECK(no_nonce.status == 400);
  CHECK(check(no_nonce, "error", std::nullopt));
  // Observe is not offered by a server started without a handler.
  CHECK(fetch("/v1/observe?nonce=" + nonce, R"({"host":"a.test","port":443})").status == 404);
}

TEST_CASE("oversized headers get 431, signed, the server keeps serving", "[reference_server]") {
  const std::string nonce = make_nonce();
  const auto big = fetch("/v1/time?nonce=" + nonce, "", 0, "X-Big: " + std::string(10000, 'a'));
  CHECK(big.status == 431);
  CHECK(check(big, "error", std::nullopt));
  CHECK(fetch("/v1/time?nonce=" + nonce).status == 200);
}

TEST_CASE("a second server on a port already served is refused, though the threads share it", "[reference_server]") {
  const std::string taken = "127.0.0.1:" + std::to_string(running().port);
  ServerSettings settings;
  settings.listen = {taken};
  settings.identity = lab_identity();
  settings.threads = 2;
  const Router router{signing_key()};
  auto second = ReferenceServer::start(settings, router);
  REQUIRE_FALSE(second);
  CHECK(second.error().input == taken);
  CHECK_THAT(second.error().message, Catch::Contains("cannot listen"));
}
