// Tests for the names a probe spec implies: the SNI sent and the name verified.
#include <catch2/catch.hpp>

#include "tls/probe_spec.h"

using tlsdoctor::tls::effective_sni;
using tlsdoctor::tls::effective_verify_name;
using tlsdoctor::tls::ProbeSpec;
using tlsdoctor::tls::SniMode;

TEST_CASE("probe_spec: SNI is the host, another name, or none, never an IP literal", "[probe_spec]") {
  ProbeSpec spec;
  spec.host = "lab.tlsdoctor.test";
  CHECK(effective_sni(spec) == std::optional<std::string>("lab.tlsdoctor.test"));
  spec.host = "lab.tlsdoctor.test.";
  CHECK(effective_sni(spec) == std::optional<std::string>("lab.tlsdoctor.test"));
  spec.host = "127.0.0.1";
  CHECK_FALSE(effective_sni(spec));
  spec.host = "::1";
  CHECK_FALSE(effective_sni(spec));
  spec.host = "[::1]";
  CHECK_FALSE(effective_sni(spec));

  spec.host = "lab.tlsdoctor.test";
  spec.sni_mode = SniMode::None;
  CHECK_FALSE(effective_sni(spec));
  spec.sni_mode = SniMode::Name;
  spec.sni_name = "other.tlsdoctor.test";
  CHECK(effective_sni(spec) == std::optional<std::string>("other.tlsdoctor.test"));
  spec.sni_name = "192.0.2.1";
  CHECK_FALSE(effective_sni(spec));
  spec.sni_name.clear();
  CHECK_FALSE(effective_sni(spec));
}

TEST_CASE("probe_spec: the verified name is verify_name, else the SNI, else the host", "[probe_spec]") {
  ProbeSpec spec;
  spec.host = "lab.tlsdoctor.test";
  CHECK(effective_verify_name(spec) == "lab.tlsdoctor.test");
  spec.sni_mode = SniMode::Name;
  spec.sni_name = "other.tlsdoctor.test";
  CHECK(effective_verify_name(spec) == "other.tlsdoctor.test");
  spec.sni_mode = SniMode::None;
  CHECK(effective_verify_name(spec) == "lab.tlsdoctor.test");
  spec.verify_name = "explicit.tlsdoctor.test";
  CHECK(effective_verify_name(spec) == "explicit.tlsdoctor.test");
  spec.verify_name.clear();
  spec.host = "[::1]";
  CHECK(effective_verify_name(spec) == "::1");
}
