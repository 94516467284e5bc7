// Runs an outside program on Linux with posix_spawn, a poll loop and a hard deadline.
#include "platform/program.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

namespace tlsdoctor::platform {
namespace {

// Closes a file descriptor when it goes out of scope.
class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { reset(); }
  int get() const { return fd_; }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

std::optional<std::filesystem::path> find_program(const Env& env, const std::string& name) {
  if (name.find('/') != std::string::npos) return env.path(name);
  for (const char* dir : {"/usr/bin", "/bin", "/usr/local/bin", "/usr/sbin", "/sbin"}) {
    auto candidate = env.path(dir) / name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return std::nullopt;
}

}  // namespace

tl::expected<ProgramResult, Error> run_program(const Env& env, const std::vector<std::string>& argv,
                                               std::chrono::milliseconds timeout) {
  if (argv.empty()) return tl::unexpected(Error{"(program)", "no program named"});
  const std::string& name = argv.front();
  if (!env.run_programs) return tl::unexpected(Error{name, "running programs is turned off"});
  const auto program = find_program(env, name);
  if (!program) return tl::unexpected(Error{name, "not installed"});

  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
    return tl::unexpected(Error{name, std::string("pipe: ") + std::strerror(errno)});
  }
  Fd read_end(pipe_fds[0]);
  Fd write_end(pipe_fds[1]);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, write_end.get(), STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);

  std::vector<std::string> env_strings;
  env_strings.reserve(env.vars.size());
  for (const auto& [k, v] : env.vars) env_strings.push_back(k + "=" + v);
  std::vector<char*> envp;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<std::string> args = argv;
  std::vector<char*> cargs;
  for (auto& a : args) cargs.push_back(a.data());
  cargs.push_back(nullptr);

  pid_t pid = 0;
  const int rc = ::posix_spawn(&pid, program->c_str(), &actions, nullptr, cargs.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  write_end.reset();
  if (rc != 0) return tl::unexpected(Error{name, std::string("cannot start: ") + std::strerror(rc)});

  ProgramResult result;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  bool timed_out = false;
  bool too_big = false;
  std::array<char, 8192> buf{};
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    pollfd pfd{read_end.get(), POLLIN, 0};
    const int ready = ::poll(&pfd, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) {
      timed_out = ready == 0;
      break;
    }
    const ssize_t n = ::read(read_end.get(), buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    if (result.out.size() + static_cast<std::size_t>(n) > kMaxProgramOutputBytes) {
      too_big = true;
      break;
    }
    result.out.append(buf.data(), static_cast<std::size_t>(n));
  }
  if (timed_out || too_big) ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (timed_out) {
    return tl::unexpected(
        Error{name, "did not finish within " + std::to_string(timeout.count()) + " ms"});
  }
  if (too_big) return tl::unexpected(Error{name, "printed more than the output limit"});
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

}  // namespace tlsdoctor::platform
