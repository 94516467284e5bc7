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

TEST_CASE("targets: accepted in the forms users type, refused naming the text otherwise") {
  const auto o = parse({"https://example.com", "example.org:8443", "check"});
  REQUIRE(o);
  CHECK(o->targets == std::vector<std::string>{"https://example.com", "example.org:8443"});
  const auto bad = parse({"ftp://example.com"});
  REQUIRE_FALSE(bad);
  CHECK(bad.error().message.find("ftp://example.com") != std::string::npos);
}

TEST_CASE("targets: repeatable options take one value each, so a target after them stays a target") {
  const auto o = parse({"--only", "clock", "https://a.test", "--resolve", "a.test:443:127.0.0.1", "b.test"});
  REQUIRE(o);
  CHECK(o->only == std::vector<std::string>{"clock"});
  CHECK(o->targets == std::vector<std::string>{"https://a.test", "b.test"});
  CHECK(o->resolve.size() == 1);
}

TEST_CASE("targets: at most kMaxTargets in one run") {
  std::vector<std::string> names;
  for (std::size_t i = 0; i <= kMaxTargets; ++i) names.push_back("t" + std::to_string(i) + ".test");
  std::vector<const char*> args;
  for (const auto& n : names) args.push_back(n.c_str());
  const auto o = parse(args);
  REQUIRE_FALSE(o);
  CHECK(o.error().message.find("at most") != std::string::npos);
}

TEST_CASE("the timeout option takes fractional seconds") {
  const auto o = parse({"--timeout", "2.5"});
  REQUIRE(o);
  CHECK(o->timeout == std::chrono::milliseconds{2500});
}

TEST_CASE("probe: the target, its options, and the shared ones after it", "[probe]") {
  const auto o = parse({"probe", "example.test:8443", "--all-versions", "--sni", "other.test", "--ca-file",
                        "/tmp/ca.pem", "--proxy", "http://proxy.test:3128", "-f", "json", "--timeout", "5",
                        "--resolve", "example.test:8443:127.0.0.1"});
  REQUIRE(o);
  CHECK(o->command == Command::Probe);
  CHECK(o->probe.target == "example.test:8443");
  CHECK(o->probe.all_versions);
  CHECK(o->probe.sni == std::optional<std::string>{"other.test"});
  CHECK(o->probe.ca_file == std::optional<std::string>{"/tmp/ca.pem"});
  CHECK(o->probe.proxy == std::optional<std::string>{"http://proxy.test:3128"});
  CHECK(o->format == Format::Json);
  CHECK(o->timeout == std::chrono::seconds{5});
  CHECK(o->resolve == std::vector<std::string>{"example.test:8443:127.0.0.1"});
}

TEST_CASE("probe: usage errors name the argument", "[probe]") {
  const auto message = [](std::vector<const char*> args) {
    const auto o = parse(std::move(args));
    REQUIRE_FALSE(o);
    return o.error().message;
  };
  CHECK_THAT(message({"probe"}), Catch::Contains("HOST"));
  CHECK_THAT(message({"probe", "a.test", "b.test"}), Catch::Contains("one HOST"));
  CHECK_THAT(message({"probe", "a.test:99999"}), Catch::Contains("99999"));
  CHECK_THAT(message({"probe", "ftp://a.test"}), Catch::Contains("ftp://a.test"));
  CHECK_THAT(message({"probe", "a.test", "--sni", "x.test", "--no-sni"}), Catch::Contains("--sni"));
  CHECK_THAT(message({"probe", "a.test", "--proxy", "http://p:3128", "--no-proxy"}), Catch::Contains("--proxy"));
  CHECK_THAT(message({"probe", "a.test", "--resolve", "a.test:443:not-an-ip"}), Catch::Contains("not-an-ip"));
}

TEST_CASE("a global --ca-file holds for probe unless it names its own", "[probe]") {
  const auto o = parse({"--ca-file", "/etc/hostname", "probe", "a.test"});
  REQUIRE(o);
  CHECK(o->probe.ca_file == std::optional<std::string>("/etc/hostname"));
}
