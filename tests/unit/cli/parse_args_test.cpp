// Argument parsing: defaults, each option, and usage errors that name the argument.
#include <catch2/catch.hpp>

#include "cli/parse_args.h"

using namespace tlsdoctor::cli;

namespace {

const std::vector<std::string_view> kChecks{"clock", "trust_store", "proxy", "protocols"};

tl::expected<Options, UsageError> parse(std::vector<const char*> args) {
  args.insert(args.begin(), "tlsdoctor");
  return parse_args(static_cast<int>(args.size()), args.data(), kChecks);
}

}  // namespace

TEST_CASE("no arguments: check this machine with the defaults") {
  const auto o = parse({});
  REQUIRE(o);
  CHECK(o->command == Command::Check);
  CHECK(o->format == Format::Text);
  CHECK(o->timeout == std::chrono::seconds{15});
  CHECK_FALSE(o->output);
  CHECK(o->only.empty());
}

TEST_CASE("options before or after the check subcommand") {
  for (auto args : {std::vector<const char*>{"-f", "json", "--only", "clock,proxy", "-v", "--no-redact"},
                    std::vector<const char*>{"check", "-f", "json", "--only", "clock", "--only", "proxy", "-v", "--no-redact"}}) {
    const auto o = parse(args);
    REQUIRE(o);
    CHECK(o->format == Format::Json);
    CHECK(o->only == std::vector<std::string>{"clock", "proxy"});
    CHECK(o->verbose);
    CHECK(o->no_redact);
  }
}

TEST_CASE("list-checks, --version and --help are commands of their own") {
  CHECK(parse({"list-checks"})->command == Command::ListChecks);
  CHECK(parse({"--version"})->command == Command::Version);
  const auto help = parse({"--help"});
  REQUIRE(help);
  CHECK(help->command == Command::Help);
  CHECK(help->help_text.find("--format") != std::string::npos);
}

TEST_CASE("usage errors name the argument at fault") {
  const auto unknown = parse({"--frobnicate"});
  REQUIRE_FALSE(unknown);
  CHECK(unknown.error().message.find("--frobnicate") != std::string::npos);

  const auto bad_format = parse({"-f", "xml"});
  REQUIRE_FALSE(bad_format);
  CHECK(bad_format.error().message.find("xml") != std::string::npos);

  const auto bad_check = parse({"--only", "clock,dns_magic"});
  REQUIRE_FALSE(bad_check);
  CHECK(bad_check.error().message.find("dns_magic") != std::string::npos);

  const auto bad_timeout = parse({"--timeout", "0"});
  REQUIRE_FALSE(bad_timeout);
  CHECK(bad_timeout.error().message.find("--timeout") != std::string::npos);

  const auto not_a_number = parse({"--timeout", "soon"});
  REQUIRE_FALSE(not_a_number);
  CHECK(not_a_number.error().message.find("soon") != std::string::npos);
}

TEST_CASE("targets are refused clearly until the probe engine exists") {
  const auto o = parse({"example.com"});
  REQUIRE_FALSE(o);
  CHECK(o.error().message.find("example.com") != std::string::npos);
}

TEST_CASE("the timeout option takes fractional seconds") {
  const auto o = parse({"--timeout", "2.5"});
  REQUIRE(o);
  CHECK(o->timeout == std::chrono::milliseconds{2500});
}
