// Writes the fuzz targets' seed corpora from the lab's real traffic and this machine's files: capture_corpus --out DIR.
//
// Every seed is something a real component produced here: ClientHellos our probes, libcurl and
// openssl sent; answers, keys and a snapshot from a running tlsdoctor-reference; reports the
// built tlsdoctor wrote; Date headers lab servers sent; requests libcurl sent to a recorder;
// PROXY v2 headers haproxy sent; a PAC answer pacparser computed; certutil's listing of an NSS
// database; configuration files of this machine (the test fixtures' copies where it has none).
// Ports, keys and nonces differ per run.
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <map>
#include <optional>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/base64.h"
#include "core/deadline.h"
#include "lab/cert_factory.h"
#include "lab/date_server.h"
#include "lab/haproxy_proxy.h"
#include "lab/hello_capture.h"
#include "lab/lab_https_client.h"
#include "lab/reference_process.h"
#include "lab/scenario_server.h"
#include "lab/subprocess.h"
#include "lab/temp_tree.h"
#include "platform_file_kind.h"
#include "pki/certificate.h"
#include "proxy/pac_eval.h"

namespace fs = std::filesystem;
using namespace tlsdoctor;

namespace {

// Seeds larger than this are left out: libFuzzer mutates small inputs fastest, and every
// parser's interesting structure shows in far less.
constexpr std::size_t kMaxSeedBytes = 64 * 1024;
constexpr std::chrono::milliseconds kRecorderIdle{300};
// Reports and snapshots are shrunk before they become seeds (arrays to their first items,
// long strings cut): the structure is what the readers walk, and a small seed runs many times
// faster. Configuration files are cut at a line boundary to this many bytes.
constexpr std::size_t kShrunkArrayItems = 2;
constexpr std::size_t kShrunkStringChars = 96;
constexpr std::size_t kMaxConfigSeedBytes = 16 * 1024;

struct CaptureError {
  std::string what;
};

class Corpus {
 public:
  explicit Corpus(fs::path root) : root_(std::move(root)) {}
  void add(const std::string& target, const std::string& name, std::string_view bytes) {
    if (bytes.empty() || bytes.size() > kMaxSeedBytes) {
      std::fprintf(stderr, "capture_corpus: %s/%s left out (%zu bytes)\n", target.c_str(), name.c_str(), bytes.size());
      return;
    }
    fs::create_directories(root_ / target);
    std::ofstream out(root_ / target / name, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) throw CaptureError{"cannot write " + (root_ / target / name).string()};
    ++written_;
  }
  void add(const std::string& target, const std::string& name, const std::vector<std::uint8_t>& bytes) {
    add(target, name, std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
  }
  std::size_t written() const { return written_; }

 private:
  fs::path root_;
  std::size_t written_ = 0;
};

// Two bytes that pick the reference_answer target's case and kind, then the case's bytes.
std::string with_prefix(std::uint8_t first, std::uint8_t second, std::string_view rest) {
  std::string out;
  out.push_back(static_cast<char>(first));
  out.push_back(static_cast<char>(second));
  out.append(rest);
  return out;
}

// `value` with every array cut to kShrunkArrayItems and every string to kShrunkStringChars.
nlohmann::json shrink(const nlohmann::json& value) {
  if (value.is_array()) {
    nlohmann::json out = nlohmann::json::array();
    for (std::size_t i = 0; i < value.size() && i < kShrunkArrayItems; ++i) out.push_back(shrink(value[i]));
    return out;
  }
  if (value.is_object()) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [key, item] : value.items()) out[key] = shrink(item);
    return out;
  }
  if (value.is_string() && value.get_ref<const std::string&>().size() > kShrunkStringChars) {
    return value.get_ref<const std::string&>().substr(0, kShrunkStringChars);
  }
  return value;
}

std::string shrink_json_text(const std::string& text) {
  const auto parsed = nlohmann::json::parse(text, nullptr, false);
  if (parsed.is_discarded()) throw CaptureError{"not JSON: " + text.substr(0, 80)};
  return shrink(parsed).dump();
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

template <typename T>
T need(tl::expected<T, std::string> value, const std::string& what) {
  if (!value) throw CaptureError{what + ": " + value.error()};
  return std::move(*value);
}

// A plain TCP listener on 127.0.0.1 that keeps whatever each connection sends until the
// sender pauses, then hangs up: what a client or a proxy puts on the wire, unanswered.
class Recorder {
 public:
  Recorder() {
    listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (listener_ < 0 || ::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(listener_, 16) != 0 || ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      throw CaptureError{"recorder: cannot listen on 127.0.0.1"};
    }
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~Recorder() {
    stopping_ = true;
    ::shutdown(listener_, SHUT_RDWR);
    thread_.join();
    ::close(listener_);
  }
  Recorder(const Recorder&) = delete;
  Recorder& operator=(const Recorder&) = delete;

  std::uint16_t port() const { return port_; }
  // What the connections sent, in the order they ended; waits (bounded) for `count` of them.
  std::vector<std::string> wait_for(std::size_t count) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (std::chrono::steady_clock::now() < until) {
      {
        std::lock_guard lock(mutex_);
        if (received_.size() >= count) return received_;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    std::lock_guard lock(mutex_);
    return received_;
  }

 private:
  void serve() {
    while (!stopping_) {
      const int fd = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) return;
      timeval idle{0, static_cast<suseconds_t>(kRecorderIdle.count() * 1000)};
      ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &idle, sizeof idle);
      std::string bytes;
      char buffer[4096];
      while (bytes.size() < kMaxSeedBytes) {
        const auto n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n <= 0) break;
        bytes.append(buffer, static_cast<std::size_t>(n));
      }
      ::close(fd);
      std::lock_guard lock(mutex_);
      received_.push_back(std::move(bytes));
    }
  }

  int listener_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::vector<std::string> received_;
  std::thread thread_;
};

// The lab this capture talks to: a root on disk, a good and an expired site, a reference.
struct Lab {
  lab::TempTree dir;
  std::string root_pem;
  std::unique_ptr<lab::ScenarioServer> good;
  std::unique_ptr<lab::ScenarioServer> expired;
  lab::ReferenceProcess reference;

  std::string site_url(const lab::ScenarioServer& server) const {
    return fmt::format("https://{}:{}", lab::kLabHostName, server.port());
  }
  std::string resolve(std::uint16_t port) const { return fmt::format("{}:{}:127.0.0.1", lab::kLabHostName, port); }
};

Lab start_lab() {
  auto dir = need(lab::TempTree::create("tlsdoctor-corpus-"), "temporary directory");
  const std::string root_pem = (dir.path() / "lab-root.pem").string();
  need(lab::write_pem_bundle(root_pem, {&lab::lab_pki().root}).map([] { return 0; }), "lab root");
  lab::ScenarioOptions good_options;
  auto good = need(lab::ScenarioServer::start(good_options), "good site");
  lab::ScenarioOptions expired_options;
  expired_options.behaviour = lab::Behaviour::Expired;
  auto expired = need(lab::ScenarioServer::start(expired_options), "expired site");
  lab::ReferenceProcessOptions reference_options;
  reference_options.extra_args = {"--allow-cidr",    "127.0.0.0/8", "--ca-file", root_pem, "--clock-uncertainty-ms",
                                  "50",              "--observe-port", std::to_string(good->port())};
  auto reference = need(lab::start_reference_process(reference_options), "reference");
  return Lab{std::move(dir), root_pem, std::move(good), std::move(expired), std::move(reference)};
}

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

// A policy for this lab (reference, target, the lab intermediate as expected inspection) and
// the documented example.
void capture_policies(const Lab& l, Corpus& corpus) {
  const auto intermediate = pki::parse_certificate(lab::lab_pki().intermediate.cert_der());
  if (!intermediate) throw CaptureError{"lab intermediate: " + intermediate.error().message};
  auto key_text = read_file(l.reference.public_key);
  while (!key_text.empty() && (key_text.back() == '\n' || key_text.back() == '\r')) key_text.pop_back();
  const nlohmann::json policy = {
      {"schema", "tlsdoctor.policy/1"},
      {"reference", {{"url", l.reference.url()}, {"keys", {key_text}}}},
      {"targets", {l.site_url(*l.good)}},
      {"expected_inspection",
       {{{"name", "Lab gateway"}, {"issuers", {intermediate->subject_cn}}, {"spki_sha256", {intermediate->spki_sha256}}}}},
      {"clock", {{"tolerance_seconds", 300}, {"time_sources", {l.site_url(*l.good)}}}},
      {"skip_checks", {"captive_portal"}},
      {"captive_url", l.reference.captive_url().empty() ? "http://127.0.0.1/" : l.reference.captive_url()},
      {"report", {{"path", "/var/log/tlsdoctor/report.json"}, {"format", "jsonl"}}}};
  corpus.add("policy", "lab-policy", policy.dump(2));
  const std::string doc = read_file(fs::path(TLSDOCTOR_SOURCE_DIR) / "docs" / "policy.md");
  const auto start = doc.find("```json\n");
  const auto end = start == std::string::npos ? start : doc.find("```", start + 8);
  if (end != std::string::npos) corpus.add("policy", "documented-example", doc.substr(start + 8, end - start - 8));
}

// Proxy settings around the lab: URLs with and without credentials, a no_proxy list, a PAC
// answer pacparser computed, and environment variables as a shell would hold them.
void capture_proxy_settings(const Lab& l, Corpus& corpus) {
  const std::string script =
      "function FindProxyForURL(url, host) {\n"
      "  if (isPlainHostName(host) || dnsDomainIs(host, \".tlsdoctor.test\")) return \"DIRECT\";\n"
      "  return \"PROXY 127.0.0.1:3128; SOCKS5 127.0.0.1:1080; DIRECT\";\n}\n";
  const auto answer = proxy::evaluate_pac(script, "https://example.org/", "example.org",
                                          Deadline::after(std::chrono::seconds(5)));
  if (!answer) throw CaptureError{"pac evaluation failed"};
  const std::string site = l.site_url(*l.good) + "/";
  corpus.add("proxy", "credentials-and-env",
             "http://fuzz:secret@127.0.0.1:3128\n" + site + "\nlocalhost,127.0.0.1,.tlsdoctor.test,10.0.0.0/8\n" +
                 *answer + "\nhttps_proxy=http://127.0.0.1:3128\nno_proxy=localhost,.corp.example\n");
  corpus.add("proxy", "ipv6-socks",
             "socks5h://[::1]:1080\nhttps://[2001:db8::1]:8443/\n*.corp, ::1, fd00::/8 host:8080\n" + *answer +
                 "\nALL_PROXY=socks5h://[::1]:1080\nNO_PROXY=*\n");
}

// This machine's configuration files (the fixtures' copies where it has none): the first byte
// picks the platform_files target's reader.
void capture_platform_files(Corpus& corpus) {
  using fuzz::PlatformFile;
  const fs::path fixtures = lab::fixtures_dir();
  const fs::path debian = fixtures / "sysroot-debian";
  const fs::path rhel = fixtures / "sysroot-rhel-legacy";
  const std::vector<std::tuple<PlatformFile, std::string, std::vector<fs::path>>> files = {
      {PlatformFile::Hosts, "hosts", {"/etc/hosts"}},
      {PlatformFile::ResolvConf, "resolv.conf", {"/etc/resolv.conf"}},
      {PlatformFile::Environment, "environment", {"/etc/environment"}},
      {PlatformFile::Tzif, "tzif-berlin", {"/usr/share/zoneinfo/Europe/Berlin", debian / "usr/share/zoneinfo/Europe/Berlin"}},
      {PlatformFile::Tzif, "tzif-new-york", {"/usr/share/zoneinfo/America/New_York"}},
      {PlatformFile::OpenSslConf, "openssl.cnf", {"/etc/ssl/openssl.cnf"}},
      {PlatformFile::OpenSslConf, "openssl-rhel", {rhel / "etc/pki/tls/openssl.cnf"}},
      {PlatformFile::GnuTls, "gnutls", {"/etc/gnutls/config", rhel / "etc/crypto-policies/back-ends/gnutls.config"}},
      {PlatformFile::JavaSecurity, "java.security",
       {"/etc/java-17-openjdk/security/java.security", debian / "etc/java-17-openjdk/security/java.security"}},
      {PlatformFile::NssAndCryptoPolicies, "nss", {rhel / "etc/crypto-policies/back-ends/nss.config"}},
      {PlatformFile::NssAndCryptoPolicies, "crypto-policies", {rhel / "etc/crypto-policies/config"}},
      {PlatformFile::ChromePolicy, "chrome-policy", {debian / "etc/opt/chrome/policies/managed/tls.json"}},
      {PlatformFile::FirefoxPolicy, "firefox-policy", {debian / "etc/firefox/policies/policies.json"}},
      {PlatformFile::OsRelease, "os-release", {"/etc/os-release", "/usr/lib/os-release"}},
      {PlatformFile::NtpKeywords, "chrony.conf", {"/etc/chrony/chrony.conf", rhel / "etc/chrony.conf"}},
      {PlatformFile::Timesyncd, "timesyncd.conf", {"/etc/systemd/timesyncd.conf", debian / "etc/systemd/timesyncd.conf"}}};
  const auto seed = [](PlatformFile kind, std::string_view bytes) {
    return std::string(1, static_cast<char>(kind)) + std::string(bytes);
  };
  // certutil's listing of a database holding the lab's root, as the NSS reader runs it.
  if (auto certutil = lab::find_on_path("certutil")) {
    auto db = need(lab::TempTree::create("tlsdoctor-corpus-nss-"), "NSS directory");
    const auto root = (db.path() / "root.pem").string();
    need(lab::write_pem_bundle(root, {&lab::lab_pki().root}).map([] { return 0; }), "lab root");
    const std::string dir = "sql:" + db.path().string();
    lab::run_process({*certutil, "-N", "-d", dir, "--empty-password"});
    lab::run_process({*certutil, "-A", "-d", dir, "-n", "tlsdoctor lab root", "-t", "C,,", "-i", root});
    const auto listed = lab::run_process({*certutil, "-L", "-d", dir});
    if (listed.exit_code == 0) corpus.add("platform_files", "certutil-list", seed(PlatformFile::CertutilList, listed.out));
  }
  for (const auto& [kind, name, candidates] : files) {
    for (const auto& path : candidates) {
      std::error_code ec;
      if (!fs::is_regular_file(path, ec)) continue;
      auto bytes = read_file(path);
      if (kind != PlatformFile::Tzif && bytes.size() > kMaxConfigSeedBytes) {
        const auto line_end = bytes.rfind('\n', kMaxConfigSeedBytes);
        bytes.resize(line_end == std::string::npos ? kMaxConfigSeedBytes : line_end + 1);
      }
      corpus.add("platform_files", name, seed(kind, bytes));
      if (kind == PlatformFile::Tzif) {
        // The TZif footer is the zone's POSIX TZ rule: the posix_tz reader's input.
        const auto start = bytes.size() < 2 ? std::string::npos : bytes.rfind('\n', bytes.size() - 2);
        auto footer = start == std::string::npos ? std::string() : bytes.substr(start + 1);
        while (!footer.empty() && footer.back() == '\n') footer.pop_back();
        corpus.add("platform_files", name + "-rule", seed(PlatformFile::PosixTz, footer));
      }
      break;
    }
  }
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

// Observation requests as the lab made them, with the answers this machine's resolver gives.
void capture_vetting(const Lab& l, Corpus& corpus) {
  char name[256] = {};
  ::gethostname(name, sizeof name - 1);
  corpus.add("target_vetting", "lab-site", fmt::format("127.0.0.1\n{}\n{}\n127.0.0.1\n", l.good->port(), lab::kLabHostName));
  corpus.add("target_vetting", "localhost", "localhost\n443\n\n" + resolved_here("localhost"));
  corpus.add("target_vetting", "this-host", std::string(name) + "\n8443\n" + name + "\n" + resolved_here(name));
}

// Trust bundles: the lab's chain in PEM, its leaf in DER, a weak leaf, this machine's bundle head.
void capture_bundles(Corpus& corpus) {
  const auto& pki = lab::lab_pki();
  corpus.add("cert_bundle", "lab-chain.pem", lab::pem_bundle({&pki.root, &pki.intermediate}));
  corpus.add("cert_bundle", "lab-intermediate.der", pki.intermediate.cert_der());
  lab::CertSpec weak;
  weak.common_name = "weak.lab.tlsdoctor.test";
  weak.key = lab::KeySpec::rsa(1024);
  weak.dns_names = {"weak.lab.tlsdoctor.test", "*.weak.lab.tlsdoctor.test"};
  weak.ip_addresses = {"127.0.0.1", "::1"};
  auto leaf = need(lab::make_leaf(weak, pki.intermediate), "weak leaf");
  corpus.add("cert_bundle", "weak-leaf.pem", leaf.cert_pem());
  // A name an issuer wrote in Latin-1 (dNSName is IA5String; OpenSSL passes the bytes on).
  lab::CertSpec latin1;
  latin1.common_name = "cafe.lab.tlsdoctor.test";
  latin1.dns_names = {"caf\xE9.lab.tlsdoctor.test"};
  auto latin1_leaf = need(lab::make_leaf(latin1, pki.intermediate), "Latin-1 leaf");
  corpus.add("cert_bundle", "latin1-san-leaf.pem", latin1_leaf.cert_pem());
  const auto system = read_file("/etc/ssl/certs/ca-certificates.crt");
  // The first few certificates with the comments between them, as the bundle holds them.
  std::size_t end = 0;
  for (int i = 0; i < 3 && end != std::string::npos; ++i) {
    end = system.find("-----END CERTIFICATE-----", end);
    if (end != std::string::npos) end += 26;
  }
  if (end != std::string::npos && end > 0) corpus.add("cert_bundle", "system-bundle-head.pem", system.substr(0, end));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3 || std::string(argv[1]) != "--out") {
    std::fprintf(stderr, "usage: capture_corpus --out DIR\n");
    return 2;
  }
  try {
    Corpus corpus{fs::path(argv[2])};
    auto l = start_lab();
    const auto hello = capture_reference(l, corpus);
    capture_client_hellos(l, corpus);
    capture_requests(l, hello, corpus);
    capture_proxy_headers(corpus);
    capture_reports(l, corpus);
    capture_date_forms(corpus);
    capture_policies(l, corpus);
    capture_proxy_settings(l, corpus);
    capture_platform_files(corpus);
    capture_bundles(corpus);
    capture_vetting(l, corpus);
    std::printf("capture_corpus: %zu seeds written to %s\n", corpus.written(), argv[2]);
    return 0;
  } catch (const CaptureError& e) {
    std::fprintf(stderr, "capture_corpus: %s\n", e.what.c_str());
    return 1;
  }
}
