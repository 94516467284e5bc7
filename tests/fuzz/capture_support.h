// The corpus capture's shared parts: the seed writer, a recording listener, the lab it talks to, and its steps.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <tl/expected.hpp>

#include "lab/reference_process.h"
#include "lab/scenario_server.h"
#include "lab/temp_tree.h"

namespace tlsdoctor::fuzz::capture {

namespace fs = std::filesystem;

// Seeds larger than this are left out: libFuzzer mutates small inputs fastest, and every
// parser's interesting structure shows in far less.
inline constexpr std::size_t kMaxSeedBytes = 64 * 1024;
// A recorded connection ends when its sender pauses this long.
inline constexpr std::chrono::milliseconds kRecorderIdle{300};
// Reports and snapshots are shrunk before they become seeds (arrays to their first items,
// long strings cut): the structure is what the readers walk, and a small seed runs many times
// faster. Configuration files are cut at a line boundary to this many bytes.
inline constexpr std::size_t kShrunkArrayItems = 2;
inline constexpr std::size_t kShrunkStringChars = 96;
inline constexpr std::size_t kMaxConfigSeedBytes = 16 * 1024;

struct CaptureError {
  std::string what;
};

template <typename T>
T need(tl::expected<T, std::string> value, const std::string& what) {
  if (!value) throw CaptureError{what + ": " + value.error()};
  return std::move(*value);
}

// Writes seeds as ROOT/TARGET/NAME, leaving out empty and oversized ones (with a line saying so).
class Corpus {
 public:
  explicit Corpus(fs::path root) : root_(std::move(root)) {}
  void add(const std::string& target, const std::string& name, std::string_view bytes);
  void add(const std::string& target, const std::string& name, const std::vector<std::uint8_t>& bytes);
  std::size_t written() const { return written_; }

 private:
  fs::path root_;
  std::size_t written_ = 0;
};

// Two bytes that pick the reference_answer target's case and kind, then the case's bytes.
std::string with_prefix(std::uint8_t first, std::uint8_t second, std::string_view rest);
// JSON text shrunk (kShrunkArrayItems, kShrunkStringChars) and printed compactly.
std::string shrink_json_text(const std::string& text);
// The whole file, "" when it cannot be read.
std::string read_file(const fs::path& path);

// A plain TCP listener on 127.0.0.1 that keeps whatever each connection sends until the
// sender pauses, then hangs up: what a client or a proxy puts on the wire, unanswered.
class Recorder {
 public:
  Recorder();
  ~Recorder();
  Recorder(const Recorder&) = delete;
  Recorder& operator=(const Recorder&) = delete;

  std::uint16_t port() const { return port_; }
  // What the connections sent, in the order they ended; waits (bounded) for `count` of them.
  std::vector<std::string> wait_for(std::size_t count);

 private:
  void serve();

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

Lab start_lab();

// The steps (capture_traffic.cpp: what goes over the wire; capture_files.cpp: files and settings).
std::vector<std::uint8_t> capture_reference(const Lab& l, Corpus& corpus);  // returns libcurl's ClientHello
void capture_client_hellos(const Lab& l, Corpus& corpus);
void capture_requests(const Lab& l, const std::vector<std::uint8_t>& hello, Corpus& corpus);
void capture_proxy_headers(Corpus& corpus);
void capture_reports(const Lab& l, Corpus& corpus);
void capture_date_forms(Corpus& corpus);
void capture_vetting(const Lab& l, Corpus& corpus);
void capture_policies(const Lab& l, Corpus& corpus);
void capture_proxy_settings(const Lab& l, Corpus& corpus);
void capture_platform_files(Corpus& corpus);
void capture_bundles(Corpus& corpus);

}  // namespace tlsdoctor::fuzz::capture
