// PAC evaluation in a forked child: pacparser's global, unbounded engine kept out of our process.
#include "proxy/pac_eval.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include <pacparser.h>

#if defined(__SANITIZE_ADDRESS__)
#define TLSDOCTOR_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TLSDOCTOR_UNDER_ASAN 1
#endif
#endif

namespace tlsdoctor::proxy {
namespace {

// First byte the child writes: what happened. The rest is the answer or pacparser's message.
constexpr char kAnswer = 'A';
constexpr char kInitFailed = 'I';
constexpr char kParseFailed = 'P';
constexpr char kFindFailed = 'F';

// What pacparser prints through its error printer, collected in the child.
std::string g_child_messages;  // only touched in the child, which is single-threaded

int collect_message(const char* fmt, va_list args) {
  char buf[1024];
  const int n = std::vsnprintf(buf, sizeof buf, fmt, args);
  if (n > 0 && g_child_messages.size() < kMaxPacAnswerBytes) g_child_messages.append(buf);
  return n;
}

void write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    data.remove_prefix(static_cast<std::size_t>(n));
  }
}

// Caps the child's address space at what it inherited plus kPacChildHeadroomBytes.
void limit_memory() {
#ifndef TLSDOCTOR_UNDER_ASAN
  const int fd = ::open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;  // no /proc: run without the cap; the deadline still applies
  char buf[128] = {};
  const ssize_t n = ::read(fd, buf, sizeof buf - 1);
  ::close(fd);
  if (n <= 0) return;
  const unsigned long long pages = std::strtoull(buf, nullptr, 10);
  const auto page = static_cast<unsigned long long>(::sysconf(_SC_PAGESIZE));
  const rlimit cap{pages * page + kPacChildHeadroomBytes, pages * page + kPacChildHeadroomBytes};
  ::setrlimit(RLIMIT_AS, &cap);
#endif
}

[[noreturn]] void run_child(int out_fd, const std::string& script, const std::string& url,
                            const std::string& host, unsigned backstop_seconds) {
  // Nothing the engine prints may reach the user's terminal.
  const int null_fd = ::open("/dev/null", O_RDWR);
  if (null_fd >= 0) {
    ::dup2(null_fd, STDIN_FILENO);
    ::dup2(null_fd, STDOUT_FILENO);
    ::dup2(null_fd, STDERR_FILENO);
    if (null_fd > STDERR_FILENO) ::close(null_fd);
  }
  // Other threads' sockets were inherited by fork(); holding them open would keep their peers
  // from seeing the connection close until this child exits. Keep only the answer pipe, as fd 3.
  constexpr int kAnswerFd = 3;
  if (out_fd != kAnswerFd) {
    ::dup2(out_fd, kAnswerFd);
    out_fd = kAnswerFd;
  }
  if (::close_range(kAnswerFd + 1, ~0U, 0) != 0) {
    const long open_max = ::sysconf(_SC_OPEN_MAX);
    for (int fd = kAnswerFd + 1; fd < (open_max > 0 ? open_max : 1024); ++fd) ::close(fd);
  }
  ::signal(SIGPIPE, SIG_IGN);
  // If the parent dies without killing us, the alarm does.
  ::alarm(backstop_seconds);
  limit_memory();
  pacparser_set_error_printer(&collect_message);
  std::string out;
  if (pacparser_init() == 0) {
    out = kInitFailed + g_child_messages;
  } else if (pacparser_parse_pac_string(script.c_str()) == 0) {
    out = kParseFailed + g_child_messages;
  } else if (const char* answer = pacparser_find_proxy(url.c_str(), host.c_str())) {
    out = kAnswer + std::string(answer);
  } else {
    out = kFindFailed + g_child_messages;
  }
  write_all(out_fd, out);
  ::_exit(0);  // no atexit handlers, no flushing the parent's stdio buffers
}

// pacparser splices the URL into a JavaScript string literal in quotes and sizes its buffer
// for the URL as given, so quotes, backslashes and control characters are percent-encoded
// here, and a host that could break out of the literal is refused.
std::string safe_url(std::string_view url) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : url) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f || c == '\'' || c == '"' || c == '\\') {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 0x0f];
    } else {
      out += c;
    }
  }
  return out;
}

bool safe_host(std::string_view host) {
  if (host.empty()) return false;
  for (const char c : host) {
    if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '.' && c != '-' && c != '_' &&
        c != ':' && c != '[' && c != ']') {
      return false;
    }
  }
  return true;
}

// pacparser reports a JavaScript error as "JSERROR: PAC script:<line>:\n    <message>" followed
// by its own "pacparser.c: ..." lines; the JavaScript message is what helps the user.
std::string tidy(std::string_view messages) {
  std::vector<std::string_view> lines;
  std::size_t pos = 0;
  while (pos < messages.size()) {
    const auto end = messages.find('\n', pos);
    auto line = messages.substr(pos, end == std::string_view::npos ? end : end - pos);
    pos = end == std::string_view::npos ? messages.size() : end + 1;
    const auto first = line.find_first_not_of(" \t\r");
    if (first == std::string_view::npos) continue;
    line = line.substr(first, line.find_last_not_of(" \t\r") - first + 1);
    if (!line.starts_with("DEBUG:")) lines.push_back(line);
  }
  for (std::size_t i = 0; i + 1 < lines.size(); ++i) {
    if (!lines[i].starts_with("JSERROR:")) continue;
    std::string where(lines[i].substr(8));
    while (!where.empty() && (where.back() == ':' || where.back() == ' ')) where.pop_back();
    const auto colon = where.rfind(':');
    const std::string line_no = colon == std::string::npos ? "" : where.substr(colon + 1);
    return (line_no.empty() ? "" : "line " + line_no + ": ") + std::string(lines[i + 1]);
  }
  if (lines.empty()) return "no message from the PAC engine";
  return std::string(lines.back());
}

// HTML (a captive portal, a login or error page) instead of a script is the commonest way a
// PAC URL goes wrong; saying so beats a JavaScript syntax error.
bool looks_like_html(std::string_view script) {
  if (script.starts_with("\xEF\xBB\xBF")) script.remove_prefix(3);
  const auto first = script.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && script[first] == '<';
}

}  // namespace

tl::expected<std::string, PacError> evaluate_pac(std::string_view script, std::string_view url,
                                                 std::string_view host, const Deadline& deadline) {
  if (script.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return tl::unexpected(PacError{PacFailure::NotJavaScript, "the PAC file is empty"});
  }
  if (looks_like_html(script)) {
    return tl::unexpected(
        PacError{PacFailure::NotJavaScript, "the PAC URL returned an HTML page, not JavaScript"});
  }
  if (script.find('\0') != std::string_view::npos) {
    return tl::unexpected(PacError{PacFailure::NotJavaScript, "the PAC file is binary data"});
  }
  if (!safe_host(host)) {
    return tl::unexpected(PacError{PacFailure::Internal, "host name unfit for a PAC call"});
  }
  const auto budget = deadline.remaining();
  if (budget.count() <= 0) {
    return tl::unexpected(PacError{PacFailure::EvalTimeout, "no time left to run the PAC script"});
  }
  // Copied before fork(): the child must not allocate for its inputs.
  const std::string script_text(script);
  const std::string url_text = safe_url(url);
  const std::string host_text(host);

  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    return tl::unexpected(PacError{PacFailure::Internal, std::string("pipe: ") + std::strerror(errno)});
  }
  const pid_t pid = ::fork();
  if (pid < 0) {
    const int err = errno;
    ::close(fds[0]);
    ::close(fds[1]);
    return tl::unexpected(PacError{PacFailure::Internal, std::string("fork: ") + std::strerror(err)});
  }
  if (pid == 0) {
    ::close(fds[0]);
    const auto seconds = static_cast<unsigned>(budget.count() / 1000 + 2);
    run_child(fds[1], script_text, url_text, host_text, seconds);
  }
  ::close(fds[1]);

  std::string received;
  bool timed_out = false;
  bool too_long = false;
  char buf[4096];
  for (;;) {
    const auto left = deadline.remaining();
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    pollfd pfd{fds[0], POLLIN, 0};
    const int ready = ::poll(&pfd, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0) {
      timed_out = true;
      break;
    }
    if (ready < 0) break;
    const ssize_t n = ::read(fds[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    received.append(buf, static_cast<std::size_t>(n));
    if (received.size() > kMaxPacAnswerBytes + 1) {
      too_long = true;
      break;
    }
  }
  ::close(fds[0]);
  if (timed_out || too_long) ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }

  if (timed_out) {
    return tl::unexpected(PacError{PacFailure::EvalTimeout,
                                   "the PAC script did not answer within " +
                                       std::to_string(budget.count()) + " ms"});
  }
  if (too_long) {
    return tl::unexpected(PacError{PacFailure::BadAnswer, "the PAC script's answer is too long"});
  }
  if (received.empty()) {
    const std::string how = WIFSIGNALED(status)
                                ? "stopped by signal " + std::to_string(WTERMSIG(status))
                                : "exited without an answer";
    return tl::unexpected(PacError{PacFailure::ScriptError, "the PAC engine " + how});
  }
  const std::string_view rest = std::string_view(received).substr(1);
  switch (received.front()) {
    case kAnswer: return std::string(rest);
    case kParseFailed:
      return tl::unexpected(PacError{PacFailure::ScriptError, "the PAC file does not parse: " + tidy(rest)});
    case kFindFailed:
      if (rest.find("FindProxyForURL not defined") != std::string_view::npos) {
        return tl::unexpected(PacError{PacFailure::NotJavaScript,
                                       "the PAC file defines no FindProxyForURL function"});
      }
      return tl::unexpected(PacError{PacFailure::ScriptError, "FindProxyForURL failed: " + tidy(rest)});
    case kInitFailed:
    default: return tl::unexpected(PacError{PacFailure::Internal, "the PAC engine did not start: " + tidy(rest)});
  }
}

tl::expected<std::vector<ProxyRoute>, PacError> find_proxy_with_pac(std::string_view script,
                                                                    std::string_view url,
                                                                    std::string_view host,
                                                                    const Deadline& deadline) {
  auto answer = evaluate_pac(script, url, host, deadline);
  if (!answer) return tl::unexpected(answer.error());
  auto routes = parse_pac_answer(*answer);
  if (!routes) {
    return tl::unexpected(PacError{PacFailure::BadAnswer, "FindProxyForURL returned \"" +
                                                              routes.error().input + "\": " +
                                                              routes.error().message});
  }
  return std::move(*routes);
}

}  // namespace tlsdoctor::proxy
