// Tests for reference/server/server_config.cpp: the sample file, strict keys, relative paths, flags over file.
#include <catch2/catch.hpp>

#include "lab/cert_factory.h"
#include "lab/temp_tree.h"
#include "reference/server/server_config.h"

using namespace tlsdoctor;
using namespace tlsdoctor::reference;

TEST_CASE("the sample configuration in installers/ loads, with paths beside it", "[server_config]") {
  const std::filesystem::path sample = std::filesystem::path(TLSDOCTOR_SOURCE_DIR) / "installers/config/tlsdoctor-reference.json";
  const auto config = load_serve_config(sample);
  INFO((config ? "" : config.error().message));
  REQUIRE(config);
  CHECK(config->listen == std::vector<std::string>{"0.0.0.0:443", "[::]:443"});
  CHECK(config->cert == (sample.parent_path() / "chain.pem").string());
  CHECK(config->signing_key == (sample.parent_path() / "signing.key").string());
  CHECK(config->threads == 2);
  CHECK(config->observe);
  CHECK(config->observe_ports.size() == 9);
  CHECK_FALSE(config->proxy_protocol);
}

TEST_CASE("the observe, PROXY v2, captive and log keys are read and checked", "[server_config]") {
  auto dir = lab::TempTree::create("tlsdoctor-config-").value();
  const auto file = dir.path() / "config.json";
  REQUIRE(lab::write_file(file, R"({"observe": false, "allow_cidr": ["10.0.0.0/8"], "observe_ports": [8443],
    "ca_file": "anchors.pem", "proxy_protocol": true, "captive_listen": ["127.0.0.1:8080"], "log_requests": true})"));
  auto config = load_serve_config(file);
  INFO((config ? "" : config.error().message));
  REQUIRE(config);
  CHECK_FALSE(config->observe);
  CHECK(config->allow_cidr == std::vector<std::string>{"10.0.0.0/8"});
  CHECK(config->observe_ports == std::vector<std::uint16_t>{8443});
  CHECK(config->ca_file == (dir.path() / "anchors.pem").string());
  CHECK(config->proxy_protocol);
  CHECK(config->captive_listen == std::vector<std::string>{"127.0.0.1:8080"});
  CHECK(config->log_requests);

  REQUIRE(lab::write_file(file, R"({"observe_ports": [0]})"));
  CHECK_THAT(load_serve_config(file).error().message, Catch::Contains("observe_ports"));
  REQUIRE(lab::write_file(file, R"({"proxy_protocol": "yes"})"));
  CHECK_THAT(load_serve_config(file).error().message, Catch::Contains("proxy_protocol"));

  // A CIDR that does not parse is refused when flags and file are merged, naming it.
  ServeConfig flags;
  flags.listen = {"127.0.0.1:0"};
  flags.cert = flags.key = flags.signing_key = "x";
  flags.allow_cidr = {"10.0.0.0/33"};
  const auto merged = merge_serve_config(std::nullopt, flags, GivenFlags{});
  REQUIRE_FALSE(merged);
  CHECK(merged.error().input == "10.0.0.0/33");
  // Booleans from the file hold unless the command line gave the flag.
  config->listen = {"127.0.0.1:0"};
  config->cert = config->key = config->signing_key = "x";
  flags.allow_cidr.clear();
  const auto kept = merge_serve_config(std::optional<ServeConfig>(*config), flags, GivenFlags{});
  REQUIRE(kept);
  CHECK(kept->proxy_protocol);
  CHECK_FALSE(kept->observe);
  CHECK(kept->allow_cidr == std::vector<std::string>{"10.0.0.0/8"});
}

TEST_CASE("configuration errors name the file and the key", "[server_config]") {
  auto dir = lab::TempTree::create("tlsdoctor-config-").value();
  const auto file = dir.path() / "config.json";
  REQUIRE(lab::write_file(file, R"({"listen": ["127.0.0.1:443"], "sigining_key": "x"})"));
  auto typo = load_serve_config(file);
  REQUIRE_FALSE(typo);
  CHECK(typo.error().input == file.string());
  CHECK_THAT(typo.error().message, Catch::Contains("sigining_key"));

  REQUIRE(lab::write_file(file, R"({"threads": 0})"));
  CHECK_THAT(load_serve_config(file).error().message, Catch::Contains("threads"));
  REQUIRE(lab::write_file(file, R"({"listen": "127.0.0.1:443"})"));
  CHECK_THAT(load_serve_config(file).error().message, Catch::Contains("listen"));
  REQUIRE(lab::write_file(file, R"([1, 2])"));
  CHECK_FALSE(load_serve_config(file));
  REQUIRE(lab::write_file(file, R"({"listen": [)"));
  CHECK_FALSE(load_serve_config(file));
  CHECK(load_serve_config(dir.path() / "absent.json").error().input == (dir.path() / "absent.json").string());
}

TEST_CASE("flags win over the file, what is still missing is named", "[server_config]") {
  ServeConfig file;
  file.listen = {"0.0.0.0:443"};
  file.cert = "/etc/a.pem";
  file.key = "/etc/a.key";
  file.signing_key = "/etc/signing.key";
  file.threads = 4;
  ServeConfig flags;
  flags.listen = {"127.0.0.1:8443"};
  flags.threads = 1;
  const auto merged = merge_serve_config(file, flags, GivenFlags{.threads = true});
  REQUIRE(merged);
  CHECK(merged->listen == std::vector<std::string>{"127.0.0.1:8443"});
  CHECK(merged->cert == "/etc/a.pem");
  CHECK(merged->threads == 1);
  CHECK(merge_serve_config(file, ServeConfig{}, GivenFlags{})->threads == 4);
  const auto missing = merge_serve_config(std::nullopt, flags, GivenFlags{});
  REQUIRE_FALSE(missing);
  CHECK(missing.error().input == "--cert");
}
