// A program the lab runs beside a test (a packet capture, a proxy): started, awaited until ready, always stopped.
#pragma once

#include <sys/types.h>

#include <csignal>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <tl/expected.hpp>

#include "lab/subprocess.h"

namespace tlsdoctor::lab {

class BackgroundProcess {
  struct StartTag {
    explicit StartTag() = default;
  };

 public:
  // Runs argv (argv[0] a path or a name on PATH) with stdin and stdout on /dev/null and waits
  // until a line of its stderr contains `ready_text`. Errors: it could not start, it exited, or
  // `timeout` passed first (then it is killed); the text says which, with its stderr.
  static tl::expected<std::unique_ptr<BackgroundProcess>, std::string> start(const std::vector<std::string>& argv,
                                                                             const std::string& ready_text,
                                                                             std::chrono::milliseconds timeout);
  explicit BackgroundProcess(const StartTag&) {}
  ~BackgroundProcess();  // stop() with a short grace, if not stopped yet
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;

  // `first_signal` (by default SIGINT, what a user's Ctrl-C sends, so it can finish its files;
  // SIGTERM for a service), then SIGKILL if it has not exited within `grace`. Returns its exit
  // status and everything it wrote to stderr.
  ProcessResult stop(std::chrono::milliseconds grace = std::chrono::milliseconds(3000), int first_signal = SIGINT);
  // What it has written to stderr so far (up to its readiness line, at least).
  const std::string& stderr_so_far() const { return stderr_text_; }

 private:
  // Reads what stderr has within `wait`; false when nothing came (or it closed).
  bool drain_stderr(std::chrono::milliseconds wait);

  pid_t pid_ = -1;
  int stderr_fd_ = -1;
  std::string stderr_text_;
};

}  // namespace tlsdoctor::lab
