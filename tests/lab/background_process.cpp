// Background programs for the lab: fork/exec, a bounded wait for a readiness line on stderr, SIGINT then SIGKILL.
#include "lab/background_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

namespace tlsdoctor::lab {
namespace {

using Clock = std::chrono::steady_clock;

// Only the last part of a chatty program's stderr matters for a failure message.
constexpr std::size_t kMaxStderrBytes = 64 * 1024;

std::chrono::milliseconds left_until(Clock::time_point deadline) {
  return std::max(std::chrono::milliseconds(0),
                  std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()));
}

// True once waitpid has collected `pid`; fills `status`.
bool reaped(pid_t pid, int& status) {
  for (;;) {
    const pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) return true;
    if (r < 0 && errno == EINTR) continue;
    return r < 0;  // ECHILD: someone else reaped it; nothing left to wait for
  }
}

}  // namespace

tl::expected<std::unique_ptr<BackgroundProcess>, std::string> BackgroundProcess::start(
    const std::vector<std::string>& argv, const std::string& ready_text, std::chrono::milliseconds timeout) {
  if (argv.empty()) return tl::unexpected(std::string("no program given"));
  std::string program = argv.front();
  if (program.find('/') == std::string::npos) {
    const auto found = find_on_path(program);
    if (!found) return tl::unexpected(program + " is not on PATH");
    program = *found;
  }
  std::vector<std::string> args = argv;
  std::vector<char*> cargs;
  for (auto& a : args) cargs.push_back(a.data());
  cargs.push_back(nullptr);

  int err_pipe[2];
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) return tl::unexpected(std::string("pipe: ") + std::strerror(errno));
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(err_pipe[0]);
    ::close(err_pipe[1]);
    return tl::unexpected(std::string("fork: ") + std::strerror(errno));
  }
  if (pid == 0) {
    const int devnull = ::open("/dev/null", O_RDWR);
    ::dup2(devnull, STDIN_FILENO);
    ::dup2(devnull, STDOUT_FILENO);
    ::dup2(err_pipe[1], STDERR_FILENO);
    ::execv(program.c_str(), cargs.data());
    ::_exit(127);
  }
  ::close(err_pipe[1]);
  auto process = std::make_unique<BackgroundProcess>(StartTag{});
  process->pid_ = pid;
  process->stderr_fd_ = err_pipe[0];

  const auto deadline = Clock::now() + timeout;
  while (process->stderr_text_.find(ready_text) == std::string::npos) {
    if (Clock::now() >= deadline || process->stderr_fd_ < 0) {
      const bool exited = process->stderr_fd_ < 0;
      const auto result = process->stop(std::chrono::milliseconds(500));
      return tl::unexpected(argv.front() + (exited ? " exited before it was ready" : " was not ready in time") +
                            " (status " + std::to_string(result.exit_code) + "): " + result.err);
    }
    process->drain_stderr(left_until(deadline));
  }
  return process;
}

bool BackgroundProcess::drain_stderr(std::chrono::milliseconds wait) {
  if (stderr_fd_ < 0) return false;
  pollfd fd{stderr_fd_, POLLIN, 0};
  const int ready = ::poll(&fd, 1, static_cast<int>(wait.count()));
  if (ready <= 0) return false;
  std::array<char, 4096> buffer{};
  const ssize_t n = ::read(stderr_fd_, buffer.data(), buffer.size());
  if (n > 0) {
    stderr_text_.append(buffer.data(), static_cast<std::size_t>(n));
    if (stderr_text_.size() > kMaxStderrBytes) stderr_text_.erase(0, stderr_text_.size() - kMaxStderrBytes);
    return true;
  }
  if (n == 0 || errno != EINTR) {
    ::close(stderr_fd_);
    stderr_fd_ = -1;
  }
  return false;
}

ProcessResult BackgroundProcess::stop(std::chrono::milliseconds grace, int first_signal) {
  ProcessResult result;
  if (pid_ < 0) return result;
  int status = 0;
  bool done = reaped(pid_, status);
  if (!done) ::kill(pid_, first_signal);
  const auto deadline = Clock::now() + grace;
  while (!done && Clock::now() < deadline) {
    // Keep reading stderr so a program printing its summary on the way out never blocks on it.
    if (stderr_fd_ >= 0) {
      drain_stderr(std::min(left_until(deadline), std::chrono::milliseconds(20)));
    } else {
      ::usleep(10 * 1000);
    }
    done = reaped(pid_, status);
  }
  if (!done) {
    result.timed_out = true;
    ::kill(pid_, SIGKILL);
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
  }
  // What it wrote before exiting; a grandchild still holding the pipe must not keep us here.
  while (drain_stderr(std::chrono::milliseconds(0))) {
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.err = stderr_text_;
  pid_ = -1;
  return result;
}

BackgroundProcess::~BackgroundProcess() {
  stop(std::chrono::milliseconds(1000));
  if (stderr_fd_ >= 0) ::close(stderr_fd_);
}

}  // namespace tlsdoctor::lab
