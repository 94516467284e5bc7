// Tests for the loopback measurement, including a child process run under a strict OPENSSL_CONF.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "tls/loopback.h"
#include "tls/system_policy.h"

extern char** environ;

namespace {

using namespace std::chrono_literals;
using tlsdoctor::Deadline;
using tlsdoctor::tls::LoopbackOutcome;
using tlsdoctor::tls::TlsVersion;

constexpr const char* kChildReportVariable = "TLSDOCTOR_LOOPBACK_REPORT";
constexpr const char* kChildTestName = "loopback child: measure under this process's OPENSSL_CONF";
// The child measures four handshakes of a few ms each; this is a generous cap for a slow CI box.
constexpr auto kChildTimeout = 30s;

const tlsdoctor::tls::LoopbackResult& result_for(const tlsdoctor::tls::LoopbackReport& report, TlsVersion v) {
  for (const auto& r : report.results) {
    if (r.version == v) return r;
  }
  FAIL("no result for " << to_string(v));
  return report.results.front();
}

std::filesystem::path temp_file(const std::string& stem) {
  return std::filesystem::temp_directory_path() /
         (stem + "-" + std::to_string(::getpid()) + "-" +
          std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
}

// Runs this test executable again with only the hidden child test and `config` as OPENSSL_CONF;
// returns what the child wrote: "1.2" -> "refused no protocols available", "min" -> "1.3", ...
std::map<std::string, std::string> run_child_with_config(const std::string& config) {
  const auto conf_path = temp_file("tlsdoctor-openssl").string() + ".cnf";
  const auto report_path = temp_file("tlsdoctor-loopback").string() + ".txt";
  std::ofstream(conf_path) << config;

  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string entry(*e);
    if (entry.starts_with("OPENSSL_CONF=") || entry.starts_with(std::string(kChildReportVariable) + "=")) continue;
    env_strings.push_back(entry);
  }
  env_strings.push_back("OPENSSL_CONF=" + conf_path);
  env_strings.push_back(std::string(kChildReportVariable) + "=" + report_path);
  std::vector<char*> envp;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
  std::string name = kChildTestName;
  std::vector<char*> argv{self.data(), name.data(), nullptr};

  // The child's own Catch2 summary is noise here; its findings come through the report file.
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, self.c_str(), &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  REQUIRE(spawned == 0);
  int status = 0;
  const auto give_up = std::chrono::steady_clock::now() + kChildTimeout;
  while (::waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > give_up) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      FAIL("the child measurement did not finish within 30 s");
    }
    std::this_thread::sleep_for(10ms);
  }
  std::map<std::string, std::string> lines;
  std::ifstream in(report_path);
  for (std::string line; std::getline(in, line);) {
    const auto space = line.find(' ');
    lines[line.substr(0, space)] = space == std::string::npos ? "" : line.substr(space + 1);
  }
  std::filesystem::remove(conf_path);
  std::filesystem::remove(report_path);
  INFO("child exit status " << status);
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
  return lines;
}

std::string system_default_config(const std::string& commands) {
  return "openssl_conf = openssl_init\n[openssl_init]\nssl_conf = ssl_sect\n[ssl_sect]\n"
         "system_default = system_default_sect\n[system_default_sect]\n" +
         commands;
}

}  // namespace

// Runs only when the parent below starts it; writes its measurement for the parent to read.
TEST_CASE(kChildTestName, "[.loopback-child]") {
  const char* report_path = std::getenv(kChildReportVariable);
  if (report_path == nullptr) return;  // started by hand, not by the parent: nothing to report
  std::ofstream out(report_path);
  const auto policy = tlsdoctor::tls::effective_client_policy();
  out << "min " << (policy.min_version ? short_name(*policy.min_version) : "none") << "\n";
  out << "max " << (policy.max_version ? short_name(*policy.max_version) : "none") << "\n";
  out << "seclevel " << policy.security_level << "\n";
  const auto report = tlsdoctor::tls::measure_loopback(Deadline::after(10s));
  REQUIRE(report.has_value());
  for (const auto& r : report->results) {
    out << short_name(r.version) << " " << to_string(r.outcome) << " " << r.reason << "\n";
  }
}

TEST_CASE("loopback: this machine's OpenSSL accepts TLS 1.2 and 1.3", "[tls][loopback]") {
  const auto report = tlsdoctor::tls::measure_loopback(Deadline::after(10s));
  REQUIRE(report.has_value());
  REQUIRE(report->results.size() == 4);
  const auto& tls12 = result_for(*report, TlsVersion::Tls1_2);
  const auto& tls13 = result_for(*report, TlsVersion::Tls1_3);
  INFO("TLS 1.2: " << tls12.reason << " / TLS 1.3: " << tls13.reason);
  CHECK(tls12.outcome == LoopbackOutcome::Accepted);
  CHECK(tls12.negotiated == "TLSv1.2");
  CHECK(tls13.outcome == LoopbackOutcome::Accepted);
  CHECK(tls13.negotiated == "TLSv1.3");
  CHECK_FALSE(tls13.cipher.empty());
  // TLS 1.0 and 1.1 depend on the machine's security level; whatever happened has a reason.
  for (const auto v : {TlsVersion::Tls1_0, TlsVersion::Tls1_1}) {
    const auto& r = result_for(*report, v);
    CHECK(r.outcome != LoopbackOutcome::NotRun);
    if (r.outcome == LoopbackOutcome::Refused) CHECK_FALSE(r.reason.empty());
  }
}

TEST_CASE("loopback: an expired deadline runs nothing", "[tls][loopback]") {
  const auto report = tlsdoctor::tls::measure_loopback(Deadline::after(0ms));
  REQUIRE(report.has_value());
  for (const auto& r : report->results) {
    CHECK(r.outcome == LoopbackOutcome::NotRun);
    CHECK(r.reason == "the run's deadline was reached first");
  }
}

TEST_CASE("loopback: OPENSSL_CONF with MinProtocol = TLSv1.3 refuses TLS 1.2", "[tls][loopback][child]") {
  const auto seen = run_child_with_config(system_default_config("MinProtocol = TLSv1.3\n"));
  CHECK(seen.at("min") == "1.3");
  CHECK(seen.at("1.2").starts_with("refused"));
  CHECK(seen.at("1.2").find("no protocols available") != std::string::npos);
  CHECK(seen.at("1.3").starts_with("accepted"));
}

TEST_CASE("loopback: OPENSSL_CONF with MaxProtocol = TLSv1.2 refuses TLS 1.3", "[tls][loopback][child]") {
  const auto seen = run_child_with_config(system_default_config("MaxProtocol = TLSv1.2\n"));
  CHECK(seen.at("max") == "1.2");
  CHECK(seen.at("1.2").starts_with("accepted"));
  CHECK(seen.at("1.3").starts_with("refused"));
}

TEST_CASE("loopback: OPENSSL_CONF with SECLEVEL=0 and TLSv1 allows TLS 1.0", "[tls][loopback][child]") {
  const auto seen =
      run_child_with_config(system_default_config("MinProtocol = TLSv1\nCipherString = DEFAULT:@SECLEVEL=0\n"));
  CHECK(seen.at("seclevel") == "0");
  CHECK(seen.at("1.0").starts_with("accepted"));
  CHECK(seen.at("1.2").starts_with("accepted"));
}
