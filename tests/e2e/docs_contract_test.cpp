// The man page and the shell completions stay in step with the options the built tlsdoctor takes.
#include <catch2/catch.hpp>

#include <regex>
#include <set>
#include <string>

#include "lab/cert_factory.h"
#include "lab/subprocess.h"

using namespace tlsdoctor;

namespace {

// The long options `tlsdoctor --help` lists ("--format", "--no-policy", ...).
std::set<std::string> long_options() {
  const auto help = lab::run_process({lab::tlsdoctor_binary(), "--help"});
  REQUIRE(help.exit_code == 0);
  std::set<std::string> out;
  const std::regex option(R"((?:^|[ ,])(--[a-z][a-z-]+))");
  for (std::sregex_iterator it(help.out.begin(), help.out.end(), option), end; it != end; ++it) out.insert((*it)[1]);
  REQUIRE(out.size() > 10);
  return out;
}

std::string source_file(const std::string& relative) {
  return lab::read_text_file(std::string(TLSDOCTOR_SOURCE_DIR) + "/" + relative);
}

// roff writes a hyphen in an option as "\-".
std::string roff(const std::string& option) { return std::regex_replace(option, std::regex("-"), "\\-"); }

}  // namespace

TEST_CASE("the man page and both completions know every option --help lists") {
  const auto man = source_file("docs/tlsdoctor.1");
  const auto bash = source_file("installers/completions/tlsdoctor.bash");
  const auto zsh = source_file("installers/completions/_tlsdoctor");
  REQUIRE_FALSE(man.empty());
  for (const auto& option : long_options()) {
    if (option == "--help") continue;
    INFO(option);
    CHECK(man.find(roff(option)) != std::string::npos);
    CHECK(bash.find(option) != std::string::npos);
    CHECK(zsh.find(option) != std::string::npos);
  }
}

TEST_CASE("the bash completion is valid bash, and the man page renders without warnings") {
  if (const auto bash = lab::find_on_path("bash")) {
    const auto checked = lab::run_process({*bash, "-n", std::string(TLSDOCTOR_SOURCE_DIR) + "/installers/completions/tlsdoctor.bash"});
    INFO(checked.err);
    CHECK(checked.exit_code == 0);
  }
  const auto groff = lab::find_on_path("groff");
  if (!groff) {
    if (lab::lab_required()) FAIL("groff is required by TLSDOCTOR_REQUIRE_LAB (to check the man page)");
    WARN("skipped: groff is not installed");
    return;
  }
  const auto rendered = lab::run_process({*groff, "-man", "-Tutf8", "-ww", "-z",
                                          std::string(TLSDOCTOR_SOURCE_DIR) + "/docs/tlsdoctor.1"});
  INFO(rendered.err);
  CHECK(rendered.exit_code == 0);
  CHECK(rendered.err.empty());
}
