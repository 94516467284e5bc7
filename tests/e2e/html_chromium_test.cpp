// The HTML report of three lab situations opened in headless Chromium: it loads, says nothing on the console, shows verdict and checks.
#include <catch2/catch.hpp>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "lab/cert_factory.h"
#include "lab/scenario_server.h"
#include "lab/subprocess.h"
#include "lab/temp_tree.h"

using namespace tlsdoctor;
namespace fs = std::filesystem;

namespace {

// Chromium as a test opens a page: a fresh profile, no background traffic, its log on stderr.
lab::ProcessResult chromium(const std::string& binary, const fs::path& profile, const std::vector<std::string>& extra,
                            const fs::path& page) {
  std::vector<std::string> argv{binary, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                                "--user-data-dir=" + profile.string(), "--enable-logging=stderr", "--v=0"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  argv.push_back("file://" + page.string());
  return lab::run_process(argv);
}

// Lines of Chromium's log that are the page's console or a resource it failed to load.
std::vector<std::string> console_lines(const std::string& log) {
  std::vector<std::string> out;
  std::istringstream lines(log);
  for (std::string line; std::getline(lines, line);) {
    if (line.find(":CONSOLE") != std::string::npos || line.find("Failed to load resource") != std::string::npos) {
      out.push_back(line);
    }
  }
  return out;
}

// Where screenshots go: the build tree (nothing generated is committed).
fs::path screenshot_dir() {
  const auto dir = fs::path(lab::tlsdoctor_binary()).parent_path().parent_path() / "tests" / "html-screenshots";
  fs::create_directories(dir);
  return dir;
}

}  // namespace

TEST_CASE("html: three lab reports open in headless Chromium with no console output, verdict and checks shown") {
  const auto binary = lab::find_on_path("chromium");
  if (!binary) {
    if (lab::lab_required()) FAIL("chromium is required by TLSDOCTOR_REQUIRE_LAB");
    WARN("skipped: chromium is not installed");
    return;
  }
  const auto dir = lab::TempTree::create("tlsdoctor-e2e-html-").value();
  const auto root = dir.path() / "root.pem";
  REQUIRE(lab::write_pem_bundle(root, {&lab::lab_pki().root}));
  lab::ScenarioOptions expired_options;
  expired_options.behaviour = lab::Behaviour::Expired;
  const auto expired = lab::ScenarioServer::start(expired_options).value();
  const std::string site = std::string(lab::kLabHostName) + ":" + std::to_string(expired->port());

  struct Situation {
    std::string name;
    std::vector<std::string> args;
    std::map<std::string, std::optional<std::string>> env;
    std::string verdict;
  };
  const std::vector<Situation> situations{
      {"healthy", {}, {}, "Verdict: none"},
      {"server-expired", {"https://" + site, "--resolve", site + ":127.0.0.1", "--ca-file", root.string()}, {},
       "Verdict: server"},
      {"trust-override-broken", {}, {{"SSL_CERT_FILE", "/nonexistent.pem"}}, "Verdict: local"}};
  for (const auto& s : situations) {
    INFO(s.name);
    const auto page = dir.path() / (s.name + ".html");
    std::vector<std::string> argv{lab::tlsdoctor_binary(), "--offline", "--no-policy", "-f", "html", "-o", page.string()};
    argv.insert(argv.end(), s.args.begin(), s.args.end());
    lab::ProcessOptions options;
    options.env = s.env;
    const auto written = lab::run_process(argv, options);
    INFO(written.err);
    REQUIRE(fs::exists(page));

    const auto dom = chromium(*binary, dir.path() / ("profile-" + s.name), {"--dump-dom"}, page);
    INFO(dom.err);
    REQUIRE(dom.exit_code == 0);
    CHECK(dom.out.find(s.verdict) != std::string::npos);
    for (const char* check : {"check-clock", "check-trust_store", "check-proxy", "check-protocols", "check-target"}) {
      CHECK(dom.out.find(check) != std::string::npos);
    }
    CHECK(console_lines(dom.err).empty());

    const auto shot = screenshot_dir() / (s.name + ".png");
    fs::remove(shot);
    const auto taken = chromium(*binary, dir.path() / ("profile-shot-" + s.name),
                                {"--window-size=412,915", "--screenshot=" + shot.string()}, page);
    CHECK(taken.exit_code == 0);
    CHECK(fs::exists(shot));
    CHECK((fs::exists(shot) && fs::file_size(shot) > 1000));
  }
}

TEST_CASE("html: the console check catches a page that errs (so it can fail)") {
  const auto binary = lab::find_on_path("chromium");
  if (!binary) {
    if (lab::lab_required()) FAIL("chromium is required by TLSDOCTOR_REQUIRE_LAB");
    WARN("skipped: chromium is not installed");
    return;
  }
  const auto dir = lab::TempTree::create("tlsdoctor-e2e-html-bad-").value();
  const auto page = dir.path() / "bad.html";
  REQUIRE(lab::write_file(page, "<!DOCTYPE html><html><body><script>undefined_function()</script></body></html>"));
  const auto r = chromium(*binary, dir.path() / "profile", {"--dump-dom"}, page);
  CHECK_FALSE(console_lines(r.err).empty());
}
