// The built tlsdoctor run as a user runs it: formats, exit codes, bad input, and the
// acceptance cases of the foundation (faketime, a broken SSL_CERT_FILE, a strict OPENSSL_CONF).
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "e2e/report_check.h"
#include "lab/subprocess.h"

using namespace tlsdoctor::lab;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// Offline: the clock check would otherwise ask the default time hosts on the internet.
ProcessResult run_tlsdoctor(std::vector<std::string> args, ProcessOptions options = {}) {
  args.insert(args.begin(), {tlsdoctor_binary(), "--offline"});
  return run_process(args, options);
}

json parse_report(const ProcessResult& r) { return tlsdoctor::test::schema_valid_report(r); }

const json* find_check(const json& doc, const std::string& id) {
  for (const auto& c : doc["checks"]) {
    if (c["id"] == id) return &c;
  }
  return nullptr;
}

const json* find_finding(const json& doc, const std::string& id) {
  for (const auto& c : doc["checks"]) {
    for (const auto& f : c["findings"]) {
      if (f["id"] == id) return &f;
    }
  }
  return nullptr;
}

fs::path temp_dir(const std::string& name) {
  auto dir = fs::temp_directory_path() / ("tlsdoctor-e2e-" + name + "-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return dir;
}

// A prerequisite that is missing: fail under TLSDOCTOR_REQUIRE_LAB=1, else skip with a reason.
bool have_program(const std::string& name) {
  if (find_on_path(name)) return true;
  if (lab_required()) FAIL(name << " is not installed and TLSDOCTOR_REQUIRE_LAB=1");
  WARN("skipped: " << name << " is not installed (scripts/install-deps.sh --test installs it)");
  return false;
}

}  // namespace

TEST_CASE("with no arguments it checks this machine and ends with the verdict") {
  const auto r = run_tlsdoctor({});
  INFO(r.out << r.err);
  CHECK((r.exit_code == 0 || r.exit_code == 1));
  CHECK(r.out.find("Clock and timezone") != std::string::npos);
  CHECK(r.out.find("Trust store") != std::string::npos);
  CHECK(r.out.find("Proxy settings") != std::string::npos);
  CHECK(r.out.find("TLS versions and policy") != std::string::npos);
  CHECK(r.out.find("Verdict: ") != std::string::npos);
  CHECK(r.out.find("\033[") == std::string::npos);  // not a terminal: no colour
}

TEST_CASE("the json format is a schema-valid report with every local check") {
  const auto r = run_tlsdoctor({"-f", "json"});
  const auto doc = parse_report(r);
  for (const char* id : {"clock", "trust_store", "proxy", "protocols"}) {
    INFO(id);
    CHECK(find_check(doc, id) != nullptr);
  }
  CHECK(doc["run"]["redacted"] == true);
  CHECK(r.exit_code == (doc["verdict"]["layer"] == "none" ? 0 : 1));
}

TEST_CASE("the only option runs just the named checks") {
  const auto doc = parse_report(run_tlsdoctor({"-f", "json", "--only", "clock"}));
  REQUIRE(doc["checks"].size() == 1);
  CHECK(doc["checks"][0]["id"] == "clock");
}

TEST_CASE("list-checks and --version") {
  const auto list = run_tlsdoctor({"list-checks"});
  CHECK(list.exit_code == 0);
  CHECK(list.out.find("trust_store") != std::string::npos);
  // Every line is an id (lowercase and '_' only), at least one space, then the title.
  std::istringstream lines(list.out);
  for (std::string line; std::getline(lines, line);) {
    INFO(line);
    const auto space = line.find(' ');
    REQUIRE(space != std::string::npos);
    CHECK(line.substr(0, space).find_first_not_of("abcdefghijklmnopqrstuvwxyz_") == std::string::npos);
    CHECK(line.find_first_not_of(' ', space) != std::string::npos);
  }
  const auto version = run_tlsdoctor({"--version"});
  CHECK(version.exit_code == 0);
  CHECK(version.out.find("OpenSSL 3.") != std::string::npos);
  CHECK(version.out.find("libcurl") != std::string::npos);
}

TEST_CASE("bad input: exit code 2 and a message naming the input") {
  const auto unknown = run_tlsdoctor({"--frobnicate"});
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.err.find("--frobnicate") != std::string::npos);
  CHECK(unknown.out.empty());

  const auto bad_check = run_tlsdoctor({"--only", "nonsense"});
  CHECK(bad_check.exit_code == 2);
  CHECK(bad_check.err.find("nonsense") != std::string::npos);

  const auto unwritable = run_tlsdoctor({"-f", "json", "-o", "/nonexistent-dir-tlsdoctor/r.json"});
  CHECK(unwritable.exit_code == 2);
  CHECK(unwritable.err.find("/nonexistent-dir-tlsdoctor/r.json") != std::string::npos);
  CHECK_FALSE(fs::exists("/nonexistent-dir-tlsdoctor/r.json"));
}

TEST_CASE("the output option writes the report to a file and nothing to standard output") {
  const auto dir = temp_dir("output");
  const auto file = dir / "report.json";
  const auto r = run_tlsdoctor({"-f", "json", "--only", "clock", "-o", file.string()});
  CHECK((r.exit_code == 0 || r.exit_code == 1));
  CHECK(r.out.empty());
  std::ifstream in(file);
  json doc;
  REQUIRE_NOTHROW(doc = json::parse(in));
  CHECK(report_schema_violations(doc).empty());
  fs::remove_all(dir);
}

TEST_CASE("faketime '2000-01-01' makes the clock check report clock.before_build") {
  if (!have_program("faketime")) return;
  ProcessOptions o;
  // Under the asan preset libfaketime is preloaded ahead of the ASan runtime; ASan refuses
  // that order unless told the preload is deliberate.
  const char* asan = std::getenv("ASAN_OPTIONS");
  o.env["ASAN_OPTIONS"] = std::string(asan != nullptr ? asan : "") + ":verify_asan_link_order=0";
  const auto r = run_process({"faketime", "2000-01-01", tlsdoctor_binary(), "--offline", "-f", "json"}, o);
  const auto doc = parse_report(r);
  const json* f = find_finding(doc, "clock.before_build");
  REQUIRE(f != nullptr);
  CHECK((*f)["severity"] == "fail");
  CHECK(doc["verdict"]["cause"] == "clock.before_build");
  CHECK(doc["verdict"]["layer"] == "local");
  CHECK(r.exit_code == 1);
}

TEST_CASE("the real clock does not report clock.before_build") {
  const auto doc = parse_report(run_tlsdoctor({"-f", "json", "--only", "clock"}));
  CHECK(find_finding(doc, "clock.before_build") == nullptr);
}

TEST_CASE("SSL_CERT_FILE=/nonexistent is reported as a broken override") {
  ProcessOptions o;
  o.env["SSL_CERT_FILE"] = "/nonexistent";
  const auto r = run_tlsdoctor({"-f", "json"}, o);
  const auto doc = parse_report(r);
  const json* f = find_finding(doc, "trust.override_broken");
  REQUIRE(f != nullptr);
  CHECK((*f)["severity"] == "fail");
  CHECK((*f)["evidence"].dump().find("SSL_CERT_FILE") != std::string::npos);
  CHECK(doc["verdict"]["cause"] == "trust.override_broken");
  CHECK(r.exit_code == 1);

  ProcessOptions clean;
  clean.env["SSL_CERT_FILE"] = std::nullopt;
  CHECK(find_finding(parse_report(run_tlsdoctor({"-f", "json", "--only", "trust_store"}, clean)),
                     "trust.override_broken") == nullptr);
}

TEST_CASE("OPENSSL_CONF with MinProtocol = TLSv1.3 makes the loopback show TLS 1.2 refused") {
  const auto dir = temp_dir("opensslconf");
  const auto conf = dir / "openssl.cnf";
  std::ofstream(conf) << "openssl_conf = init\n[init]\nssl_conf = ssl\n[ssl]\n"
                         "system_default = sysdef\n[sysdef]\nMinProtocol = TLSv1.3\n";
  ProcessOptions o;
  o.env["OPENSSL_CONF"] = conf.string();
  const auto r = run_tlsdoctor({"-f", "json", "--only", "protocols"}, o);
  const auto doc = parse_report(r);
  const json* f = find_finding(doc, "local.protocol_disabled");
  REQUIRE(f != nullptr);
  CHECK((*f)["severity"] == "fail");
  CHECK((*f)["evidence"].dump().find("1.2") != std::string::npos);
  CHECK(r.exit_code == 1);

  // The same run without the file: TLS 1.2 works on this machine.
  const auto healthy = parse_report(run_tlsdoctor({"-f", "json", "--only", "protocols"}));
  const json* none = find_finding(healthy, "local.protocol_disabled");
  CHECK((none == nullptr || (*none)["evidence"].dump().find("1.2") == std::string::npos));
  fs::remove_all(dir);
}

TEST_CASE("redaction: home, proxy credentials and private addresses never reach the report") {
  const auto home = temp_dir("markerhome");
  ProcessOptions o;
  o.env["HOME"] = home.string();
  // 127.0.0.1:9 (discard) refuses at once: the proxy check never sends traffic off this machine.
  o.env["https_proxy"] = "http://markeruser:markerpass@127.0.0.1:9";
  o.env["no_proxy"] = "10.99.88.77,.markerdomain.example";
  const auto redacted = run_tlsdoctor({"-f", "json"}, o);
  parse_report(redacted);
  for (const std::string& marker :
       std::vector<std::string>{"markerpass", "markeruser", "10.99.88.77", home.string()}) {
    INFO(marker);
    CHECK(redacted.out.find(marker) == std::string::npos);
  }
  const auto text = run_tlsdoctor({"-v"}, o);
  CHECK(text.out.find("markerpass") == std::string::npos);
  CHECK(text.out.find("10.99.88.77") == std::string::npos);

  const auto plain = run_tlsdoctor({"-f", "json", "--no-redact"}, o);
  CHECK(plain.out.find("10.99.88.77") != std::string::npos);
  CHECK(plain.out.find("markerpass") == std::string::npos);  // never printed, even unredacted
  fs::remove_all(home);
}

TEST_CASE("progress: a line per check on a terminal's stderr, nothing when stderr is not one or with --quiet") {
  const auto piped = run_tlsdoctor({"--offline", "--no-policy", "--only", "clock,proxy"});
  CHECK(piped.err.empty());
  const auto script = find_on_path("script");
  if (!script) {
    if (lab_required()) FAIL("script (util-linux) is required by TLSDOCTOR_REQUIRE_LAB");
    WARN("skipped: script is not installed");
    return;
  }
  // script(1) gives the command a terminal; its stdout goes away, its stderr is what script prints.
  const std::string command = tlsdoctor_binary() + " --offline --no-policy --only clock,proxy >/dev/null";
  const auto tty = run_process({*script, "-qec", command, "/dev/null"});
  INFO(tty.out << tty.err);
  CHECK(tty.out.find("Clock and timezone (") != std::string::npos);
  CHECK(tty.out.find("Proxy settings (") != std::string::npos);
  const auto quiet = run_process({*script, "-qec", command + " --quiet", "/dev/null"});
  CHECK(quiet.out.find("Clock and timezone (") == std::string::npos);
}
