// The failure taxonomy's table: unique stable strings, round trips, alert numbers (checker/tls/failure.cpp).
#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>
#include <set>

#include "tls/failure.h"

using namespace tlsdoctor::tls;

TEST_CASE("every failure class has a unique lower-case id, a stage and a meaning", "[failure]") {
  std::set<std::string_view> seen;
  for (const auto& f : all_failures()) {
    INFO(f.id);
    CHECK_FALSE(f.id.empty());
    CHECK(f.id.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") == std::string_view::npos);
    CHECK(seen.insert(f.id).second);
    CHECK(f.meaning.size() > 20);
    CHECK(f.meaning.back() == '.');
    CHECK(failure_from_string(f.id) == f.failure);
    CHECK(to_string(f.failure) == f.id);
  }
  CHECK(to_string(Failure::None).empty());
  CHECK_FALSE(failure_from_string(""));
  CHECK_FALSE(failure_from_string("tls_alert_nonsense"));
}

TEST_CASE("ids keep their published spelling", "[failure]") {
  CHECK(to_string(Failure::DnsNxdomain) == "dns_nxdomain");
  CHECK(to_string(Failure::TcpRefused) == "tcp_refused");
  CHECK(to_string(Failure::ProxyAuthRequired) == "proxy_auth_required");
  CHECK(to_string(Failure::TlsAlertUnrecognizedName) == "tls_alert_unrecognized_name");
  CHECK(to_string(Failure::CertIncompleteChain) == "cert_incomplete_chain");
  CHECK(info(Failure::CertExpired).stage == ProbeStage::Verify);
  CHECK(info(Failure::ProxyRefused).stage == ProbeStage::Proxy);
}

TEST_CASE("received alerts map to their class, protocol_version to the version class", "[failure]") {
  CHECK(failure_for_received_alert(40) == Failure::TlsAlertHandshakeFailure);
  CHECK(failure_for_received_alert(112) == Failure::TlsAlertUnrecognizedName);
  CHECK(failure_for_received_alert(116) == Failure::TlsAlertCertificateRequired);
  CHECK(failure_for_received_alert(70) == Failure::TlsProtocolVersion);
  CHECK(failure_for_received_alert(200) == Failure::TlsAlertOther);
  CHECK(alert_name(48) == "unknown_ca");
  CHECK(alert_name(200) == "alert_200");
  for (int n = 0; n < 256; ++n) {
    const auto failure = failure_for_received_alert(static_cast<std::uint8_t>(n));
    INFO(n);
    CHECK(info(failure).stage == ProbeStage::Handshake);
  }
}

TEST_CASE("every failure class is documented in docs/report-schema.md", "[failure]") {
  std::ifstream in(std::string(TLSDOCTOR_SOURCE_DIR) + "/docs/report-schema.md");
  REQUIRE(in);
  const std::string doc((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (const auto& f : all_failures()) {
    INFO(f.id);
    CHECK(doc.find("| `" + std::string(f.id) + "` |") != std::string::npos);
  }
}

TEST_CASE("handshake_interrupted: cut, stalled or garbled, not refused for a reason", "[failure]") {
  using tlsdoctor::tls::handshake_interrupted;
  for (const auto f : {Failure::TlsTimeout, Failure::TlsEof, Failure::TlsReset, Failure::TlsNotTls,
                       Failure::TlsAlertHandshakeFailure, Failure::TlsAlertOther}) {
    CHECK(handshake_interrupted(f));
  }
  for (const auto f : {Failure::None, Failure::TlsProtocolVersion, Failure::TlsAlertUnrecognizedName,
                       Failure::CertExpired, Failure::TcpRefused, Failure::DnsNxdomain}) {
    CHECK_FALSE(handshake_interrupted(f));
  }
}
