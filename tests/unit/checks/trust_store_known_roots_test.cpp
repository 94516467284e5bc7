// Tests that collect_anchors (checker/checks/trust_store.cpp) takes known roots from the embedded
// table, exactly as parsing would describe them, and still parses the roots it does not know.
#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>

#include "checks/trust_store.h"
#include "lab/cert_factory.h"
#include "pki/known_certificates.h"
#include "platform/pem.h"

using namespace tlsdoctor;

namespace {

// A Mozilla root without subjectAltName entries, so in root_details.csv (ca-certificates is a
// build dependency: scripts/install-deps.sh).
constexpr const char* kSystemRoot = "/usr/share/ca-certificates/mozilla/ISRG_Root_X1.crt";

std::vector<std::uint8_t> read_der(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto blocks = platform::split_pem(text, 1);
  return blocks.empty() ? std::vector<std::uint8_t>{} : blocks.front().der;
}

// Every field, subjectAltName ones included.
void check_same(const pki::Certificate& a, const pki::Certificate& b) {
  CHECK(pki::root_details_row(a) == pki::root_details_row(b));
  CHECK(a.dns_names == b.dns_names);
  CHECK(a.ip_addresses == b.ip_addresses);
  CHECK(a.alt_names_total == b.alt_names_total);
}

}  // namespace

TEST_CASE("collect_anchors takes a known root from the table and parses an unknown one", "[trust_store]") {
  const auto system_der = read_der(kSystemRoot);
  REQUIRE_FALSE(system_der.empty());
  const auto* known = pki::known_certificate(pki::sha256_hex(system_der));
  REQUIRE(known != nullptr);  // the table path is the one taken

  lab::CertSpec spec;
  spec.common_name = "Lab Root Nobody Knows";
  spec.organization = "tlsdoctor lab";
  spec.dns_names = {"lab.example"};
  auto lab_root = lab::make_root(spec);
  REQUIRE(lab_root);
  const auto lab_der = lab_root->cert_der();
  CHECK(pki::known_certificate(pki::sha256_hex(lab_der)) == nullptr);

  platform::TrustStoreFacts facts;
  platform::TrustSource bundle;
  bundle.kind = platform::TrustSourceKind::DistributionBundle;
  bundle.name = "Debian/Ubuntu bundle";
  bundle.path = "/etc/ssl/certs/ca-certificates.crt";
  bundle.status = platform::TrustSourceStatus::Ok;
  bundle.certificates.push_back({system_der, bundle.path, 0, {}, {}});
  bundle.certificates.push_back({lab_der, bundle.path, 1, {}, {}});
  bundle.certificates.push_back({system_der, bundle.path, 2, {}, {}});  // a duplicate merges
  facts.sources.push_back(bundle);

  const auto anchors = checks::collect_anchors(facts);
  CHECK(anchors.unparsable.empty());
  REQUIRE(anchors.anchors.size() == 2);
  auto parsed_system = pki::parse_certificate(system_der);
  REQUIRE(parsed_system);
  check_same(anchors.anchors[0].cert, *parsed_system);
  CHECK(anchors.anchors[0].cert.subject_cn == "ISRG Root X1");
  auto parsed_lab = pki::parse_certificate(lab_der);
  REQUIRE(parsed_lab);
  check_same(anchors.anchors[1].cert, *parsed_lab);
  CHECK(anchors.anchors[1].cert.dns_names == std::vector<std::string>{"lab.example"});
}
