// The corpus capture's traffic: what the lab's reference, sites, haproxy, libcurl and the built tlsdoctor put on the wire.
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <ctime>
#include <map>
#include <optional>

#include <nlohmann/json.hpp>

#include "capture_support.h"
#include "core/base64.h"
#include "lab/cert_factory.h"
#include "lab/date_server.h"
#include "lab/haproxy_proxy.h"
#include "lab/hello_capture.h"
#include "lab/lab_https_client.h"
#include "lab/subprocess.h"

namespace tlsdoctor::fuzz::capture {
namespace {

lab::LabHttpResponse ask_reference(const Lab& l, const std::string& path, const std::string& body = "") {
  lab::LabHttpRequest request;
  request.url = l.reference.url() + path;
  request.resolve = {l.resolve(l.reference.port)};
  request.ca_file = l.root_pem;
  if (!body.empty()) {
    request.method = "POST";
    request.body = body;
  }
  auto response = lab::lab_http_request(request);
  if (response.status == 0) throw CaptureError{"reference " + path + ": " + response.error};
  return response;
}

std::string signed_headers(const lab::LabHttpResponse& response) {
  return response.header("tlsdoctor-key-id").value_or("") + "\n" +
         response.header("tlsdoctor-signature").value_or("") + "\n" + response.body;
}

// What this machine's resolver answers for `host`, one address per line ("" when nothing).
std::string resolved_here(const std::string& host) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (::getaddrinfo(host.c_str(), "443", &hints, &found) != 0) return "";
  std::string lines;
  for (const addrinfo* a = found; a != nullptr; a = a->ai_next) {
    char text[INET6_ADDRSTRLEN] = {};
    const void* bytes = a->ai_family == AF_INET ? static_cast<const void*>(&reinterpret_cast<sockaddr_in*>(a->ai_addr)->sin_addr)
                                                : static_cast<const void*>(&reinterpret_cast<sockaddr_in6*>(a->ai_addr)->sin6_addr);
    if (::inet_ntop(a->ai_family, bytes, text, sizeof text) != nullptr) lines += std::string(text) + "\n";
  }
  ::freeaddrinfo(found);
  return lines;
}

}  // namespace

// Answers of each kind, their headers, the reference's public key, a snapshot; and the
// ClientHello libcurl sent, as the reference received it (returned for the request seeds).
std::vector<std::uint8_t> capture_reference(const Lab& l, Corpus& corpus) {
  const auto time = ask_reference(l, "/v1/time?nonce=fuzzcorpus-time-000001");
  const auto echo = ask_reference(l, "/v1/echo?nonce=fuzzcorpus-echo-000001");
  const auto observe = ask_reference(
      l, "/v1/observe?nonce=fuzzcorpus-observe-000001",
      nlohmann::json{{"host", "127.0.0.1"}, {"port", l.good->port()}, {"sni", lab::kLabHostName}}.dump());
  const auto refused = ask_reference(l, "/v1/observe?nonce=fuzzcorpus-error-000001", R"({"host": "127.0.0.1", "port": 1})");
  corpus.add("reference_answer", "time-signed", with_prefix(0, 0, time.body));
  corpus.add("reference_answer", "echo-signed", with_prefix(0, 1, echo.body));
  corpus.add("reference_answer", "observe-signed", with_prefix(0, 2, shrink_json_text(observe.body)));
  corpus.add("reference_answer", "error-signed", with_prefix(0, 3, refused.body));
  corpus.add("reference_answer", "time-headers", with_prefix(1, 0, signed_headers(time)));
  corpus.add("reference_answer", "echo-headers", with_prefix(1, 1, signed_headers(echo)));
  corpus.add("reference_answer", "public-key", with_prefix(3, 0, read_file(l.reference.public_key)));

  std::vector<std::uint8_t> hello;
  const auto echoed = nlohmann::json::parse(echo.body, nullptr, false);
  if (echoed.is_object() && echoed.contains("received") && echoed["received"].contains("client_hello_base64")) {
    if (auto decoded = decode_base64(echoed["received"]["client_hello_base64"].get<std::string>())) hello = *decoded;
  }
  if (hello.empty()) throw CaptureError{"the echo answer carries no ClientHello"};
  corpus.add("client_hello", "libcurl-as-reference-received", hello);

  const auto snapshot = (l.dir.path() / "snapshot.json").string();
  const auto taken = lab::run_process({lab::tlsdoctor_binary(), "snapshot", l.site_url(*l.good), "--resolve",
                                       l.resolve(l.good->port()), "--ca-file", l.root_pem, "-o", snapshot,
                                       "--timeout", "10"});
  if (taken.exit_code != 0) throw CaptureError{"snapshot: " + taken.err};
  corpus.add("reference_answer", "snapshot", with_prefix(2, 0, shrink_json_text(read_file(snapshot))));
  return hello;
}

// ClientHellos: the probe engine's variants as the good site received them (bare messages), and
// records as our probe, libcurl and openssl put them on the wire.
void capture_client_hellos(const Lab& l, Corpus& corpus) {
  const auto before = l.good->connections().size();
  const auto probed = lab::run_process({lab::tlsdoctor_binary(), "probe", l.site_url(*l.good), "--all-versions",
                                        "--resolve", l.resolve(l.good->port()), "--ca-file", l.root_pem});
  if (probed.exit_code != 0) throw CaptureError{"probe: " + probed.err};
  const auto no_sni = lab::run_process({lab::tlsdoctor_binary(), "probe", l.site_url(*l.good), "--no-sni",
                                        "--resolve", l.resolve(l.good->port()), "--ca-file", l.root_pem});
  (void)no_sni;  // the good site completes it too; only its ClientHello matters here
  l.good->wait_for_connections(before + 5, std::chrono::seconds(5));
  const auto served = l.good->connections();
  for (std::size_t i = before; i < served.size() && i < before + 8; ++i) {
    corpus.add("client_hello", fmt::format("probe-message-{}", i - before), served[i].client_hello);
  }

  auto capture = need(lab::HelloCapture::start(), "hello capture");
  const std::string at = fmt::format("127.0.0.1:{}", capture->port());
  lab::run_process({lab::tlsdoctor_binary(), "probe", "https://" + at, "--timeout", "3"});
  if (auto curl = lab::find_on_path("curl")) lab::run_process({*curl, "-sk", "--max-time", "3", "https://" + at});
  if (auto openssl = lab::find_on_path("openssl")) {
    lab::run_process({*openssl, "s_client", "-connect", at, "-servername", lab::kLabHostName, "-tls1_2"});
  }
  const auto hellos = capture->wait_for(2, std::chrono::seconds(3));
  const char* senders[] = {"tlsdoctor-probe-records", "curl-records", "openssl-tls12-records"};
  for (std::size_t i = 0; i < hellos.size() && i < 3; ++i) corpus.add("client_hello", senders[i], hellos[i].records);
}

// Requests as libcurl sends them to the reference's endpoints, caught by a recorder; the echo
// request once more with `hello` after it (the reference_request target reads what follows the
// request as the connection's ClientHello).
void capture_requests(const Lab& l, const std::vector<std::uint8_t>& hello, Corpus& corpus) {
  Recorder recorder;
  const std::string base = fmt::format("http://127.0.0.1:{}", recorder.port());
  const std::vector<std::pair<std::string, std::string>> asks = {
      {"/v1/echo?nonce=fuzzcorpus-echo-000002", ""},
      {"/v1/time?nonce=fuzzcorpus-time-000002", ""},
      {"/v1/observe?nonce=fuzzcorpus-observe-000002",
       nlohmann::json{{"host", "127.0.0.1"}, {"port", l.good->port()}, {"sni", lab::kLabHostName}}.dump()},
      {"/healthz", ""},
      {"/metrics", ""}};
  for (const auto& [path, body] : asks) {
    lab::LabHttpRequest request;
    request.url = base + path;
    request.timeout = std::chrono::milliseconds(2000);
    if (!body.empty()) {
      request.method = "POST";
      request.body = body;
    }
    lab::lab_http_request(request);  // the recorder never answers: only the request matters
  }
  const auto requests = recorder.wait_for(asks.size());
  const char* names[] = {"echo", "time", "observe", "healthz", "metrics"};
  for (std::size_t i = 0; i < requests.size() && i < asks.size(); ++i) corpus.add("reference_request", names[i], requests[i]);
  if (!requests.empty()) {
    corpus.add("reference_request", "echo-with-hello",
               requests[0] + std::string(reinterpret_cast<const char*>(hello.data()), hello.size()));
  }
}

// PROXY v2 headers as haproxy sends them in front of the reference.
void capture_proxy_headers(Corpus& corpus) {
  Recorder backend;
  lab::HaproxyOptions options;
  options.backend_port = backend.port();
  auto haproxy = need(lab::HaproxyProxy::start(options), "haproxy");
  for (int i = 0; i < 2; ++i) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(haproxy->port());
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0) {
      const std::string hello = i == 0 ? std::string("\x16\x03\x01\x00\x05hello", 10) : std::string("GET / HTTP/1.1\r\n\r\n");
      (void)::send(fd, hello.data(), hello.size(), MSG_NOSIGNAL);
      std::this_thread::sleep_for(kRecorderIdle * 2);
    }
    ::close(fd);
  }
  const auto headers = backend.wait_for(2);
  for (std::size_t i = 0; i < headers.size(); ++i) corpus.add("proxy_v2", fmt::format("haproxy-{}", i), headers[i]);
}

// Two reports of the built tlsdoctor (good site, expired site, with the reference), in pairs.
void capture_reports(const Lab& l, Corpus& corpus) {
  auto date = need(lab::DateServer::start({}), "date server");
  const auto report_of = [&](const lab::ScenarioServer& site, const std::string& name) {
    const auto path = (l.dir.path() / (name + ".json")).string();
    const auto run = lab::run_process(
        {lab::tlsdoctor_binary(), "--no-policy", "-f", "json", "-o", path, "--timeout", "10", "--reference",
         l.reference.url(), "--reference-key", l.reference.public_key.string(), "--resolve",
         l.resolve(l.reference.port), "--ca-file", l.root_pem, "--time-source", date->url(), "--resolve",
         date->resolve_entry(), "--captive-url", "http://127.0.0.1:1/", l.site_url(site), "--resolve",
         l.resolve(site.port())});
    if (run.exit_code > 1) throw CaptureError{"report " + name + ": " + run.err};
    return shrink_json_text(read_file(path));
  };
  const auto good = report_of(*l.good, "good");
  const auto expired = report_of(*l.expired, "expired");
  corpus.add("report_compare", "good-vs-expired", good + std::string(1, '\0') + expired);
  corpus.add("report_compare", "expired-vs-good", expired + std::string(1, '\0') + good);
  // This machine's own checks, offline: as it is, and with its trust store pointed nowhere.
  const auto offline = [&](const std::string& name, std::map<std::string, std::optional<std::string>> env) {
    const auto path = (l.dir.path() / (name + ".json")).string();
    lab::ProcessOptions options;
    options.env = std::move(env);
    const auto run = lab::run_process({lab::tlsdoctor_binary(), "--offline", "--no-policy", "--only",
                                       "clock,trust_store,proxy,protocols", "-f", "json", "-o", path},
                                      options);
    if (run.exit_code > 1) throw CaptureError{"report " + name + ": " + run.err};
    return shrink_json_text(read_file(path));
  };
  corpus.add("report_compare", "machine-vs-broken-store",
             offline("machine", {}) + std::string(1, '\0') + offline("broken", {{"SSL_CERT_FILE", "/nonexistent.pem"}}));

  lab::LabHttpRequest request;
  request.url = date->url();
  request.resolve = {date->resolve_entry()};
  request.ca_file = l.root_pem;
  const auto dated = lab::lab_http_request(request);
  corpus.add("http_date", "date-server", dated.header("date").value_or(""));
}

// The other two Date forms a recipient must accept, of this moment.
void capture_date_forms(Corpus& corpus) {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[64];
  std::strftime(text, sizeof text, "%A, %d-%b-%y %H:%M:%S GMT", &utc);
  corpus.add("http_date", "rfc850-now", std::string(text));
  std::strftime(text, sizeof text, "%a %b %e %H:%M:%S %Y", &utc);
  corpus.add("http_date", "asctime-now", std::string(text));
}

// Observation requests as the lab made them, with the answers this machine's resolver gives.
void capture_vetting(const Lab& l, Corpus& corpus) {
  char name[256] = {};
  ::gethostname(name, sizeof name - 1);
  corpus.add("target_vetting", "lab-site", fmt::format("127.0.0.1\n{}\n{}\n127.0.0.1\n", l.good->port(), lab::kLabHostName));
  corpus.add("target_vetting", "localhost", "localhost\n443\n\n" + resolved_here("localhost"));
  corpus.add("target_vetting", "this-host", std::string(name) + "\n8443\n" + name + "\n" + resolved_here(name));
}

}  // namespace tlsdoctor::fuzz::capture
