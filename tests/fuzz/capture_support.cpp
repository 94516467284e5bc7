// The corpus capture's shared parts: writing seeds, shrinking JSON, the recording listener, starting the lab.
#include "capture_support.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>

#include "lab/cert_factory.h"

namespace tlsdoctor::fuzz::capture {
namespace {

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

}  // namespace

void Corpus::add(const std::string& target, const std::string& name, std::string_view bytes) {
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

void Corpus::add(const std::string& target, const std::string& name, const std::vector<std::uint8_t>& bytes) {
  add(target, name, std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

// Two bytes that pick the reference_answer target's case and kind, then the case's bytes.
std::string with_prefix(std::uint8_t first, std::uint8_t second, std::string_view rest) {
  std::string out;
  out.push_back(static_cast<char>(first));
  out.push_back(static_cast<char>(second));
  out.append(rest);
  return out;
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

Recorder::Recorder() {
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

Recorder::~Recorder() {
  stopping_ = true;
  ::shutdown(listener_, SHUT_RDWR);
  thread_.join();
  ::close(listener_);
}

std::vector<std::string> Recorder::wait_for(std::size_t count) {
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

void Recorder::serve() {
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

}  // namespace tlsdoctor::fuzz::capture
