// Tests for the certificates described in advance (checker/pki/known_certificates.cpp, root_details.csv).
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "pki/csv.h"
#include "pki/known_certificates.h"
#include "platform/pem.h"

using namespace tlsdoctor;

namespace {

// Where Debian's ca-certificates (a build dependency, scripts/install-deps.sh) puts Mozilla's roots.
const std::filesystem::path kMozillaRoots = "/usr/share/ca-certificates/mozilla";

// Field by field, so that a failure names the field.
void check_same(const pki::Certificate& known, const pki::Certificate& parsed) {
  CHECK(known.sha256 == parsed.sha256);
  CHECK(known.spki_sha256 == parsed.spki_sha256);
  CHECK(known.subject == parsed.subject);
  CHECK(known.subject_cn == parsed.subject_cn);
  CHECK(known.subject_o == parsed.subject_o);
  CHECK(known.issuer == parsed.issuer);
  CHECK(known.issuer_cn == parsed.issuer_cn);
  CHECK(known.issuer_o == parsed.issuer_o);
  CHECK(known.serial == parsed.serial);
  CHECK(known.not_before.time_since_epoch().count() == parsed.not_before.time_since_epoch().count());
  CHECK(known.not_after.time_since_epoch().count() == parsed.not_after.time_since_epoch().count());
  CHECK(pki::to_string(known.key_type) == pki::to_string(parsed.key_type));
  CHECK(known.key_bits == parsed.key_bits);
  CHECK(known.key_curve == parsed.key_curve);
  CHECK(known.signature_algorithm == parsed.signature_algorithm);
  CHECK(known.is_ca == parsed.is_ca);
  CHECK(known.dns_names == parsed.dns_names);
  CHECK(known.ip_addresses == parsed.ip_addresses);
  CHECK(known.alt_names_total == parsed.alt_names_total);
  CHECK(known.self_signed == parsed.self_signed);
}

std::string header_line() {
  const std::vector<std::string> header(pki::kRootDetailsColumns.begin(), pki::kRootDetailsColumns.end());
  return pki::csv_line(header) + "\n";
}

pki::Certificate sample() {
  pki::Certificate cert;
  cert.sha256 = std::string(64, 'a');
  cert.spki_sha256 = std::string(64, 'b');
  cert.subject = "CN=Főtanúsítvány \"Root\",O=Example\\, Inc.,C=HU";
  cert.subject_cn = "Főtanúsítvány \"Root\"";
  cert.subject_o = "Example, Inc.";
  cert.issuer = cert.subject;
  cert.issuer_cn = cert.subject_cn;
  cert.issuer_o = cert.subject_o;
  cert.serial = "00ff";
  cert.not_before = std::chrono::sys_seconds(std::chrono::seconds(-86400));  // before the epoch
  cert.not_after = std::chrono::sys_days(std::chrono::year{9999} / 12 / 31);  // beyond 32-bit time
  cert.key_type = pki::KeyType::Ec;
  cert.key_bits = 384;
  cert.key_curve = "secp384r1";
  cert.signature_algorithm = "ecdsa-with-SHA384";
  cert.is_ca = true;
  cert.self_signed = true;
  return cert;
}

std::vector<std::uint8_t> first_certificate(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (auto& block : platform::split_pem(text, 1)) {
    if (block.error.empty() && block.label == "CERTIFICATE") return std::move(block.der);
  }
  return {};
}

}  // namespace

TEST_CASE("the embedded root details load, sorted and distinct", "[known_certificates]") {
  const auto& table = pki::known_certificates();
  if (!table) FAIL("root_details.csv: " << table.error().input << ": " << table.error().message);
  CHECK(table->size() >= 100);
  CHECK(std::is_sorted(table->begin(), table->end(), [](const auto& a, const auto& b) { return a.sha256 < b.sha256; }));
  CHECK(std::adjacent_find(table->begin(), table->end(),
                           [](const auto& a, const auto& b) { return a.sha256 == b.sha256; }) == table->end());
  CHECK(pki::known_certificate(table->front().sha256) == &table->front());
  CHECK(pki::known_certificate(std::string(64, '0')) == nullptr);
  CHECK(pki::known_certificate("") == nullptr);
}

TEST_CASE("every system root in the table is described as parsing it would", "[known_certificates]") {
  REQUIRE(std::filesystem::is_directory(kMozillaRoots));
  std::size_t matched = 0;
  for (const auto& entry : std::filesystem::directory_iterator(kMozillaRoots)) {
    if (entry.path().extension() != ".crt") continue;
    INFO(entry.path().string());
    const auto der = first_certificate(entry.path());
    REQUIRE_FALSE(der.empty());
    const auto* known = pki::known_certificate(pki::sha256_hex(der));
    if (known == nullptr) continue;
    auto x509 = pki::parse_x509(der);
    REQUIRE(x509);
    check_same(*known, pki::describe(x509->get()));
    ++matched;
  }
  // The table was generated from this Debian release's ca-certificates.
  REQUIRE(matched >= 100);
}

TEST_CASE("a row reads back as written: UTF-8, commas, quotes, far dates", "[known_certificates]") {
  const auto cert = sample();
  const auto loaded = pki::load_root_details(header_line() + pki::csv_line(pki::root_details_row(cert)) + "\n", "t.csv");
  REQUIRE(loaded);
  REQUIRE(loaded->size() == 1);
  check_same(loaded->front(), cert);
}

TEST_CASE("a malformed row is an error naming the input and the line", "[known_certificates]") {
  const auto good = pki::root_details_row(sample());
  auto load_with = [&](std::size_t column, std::string value) {
    auto row = good;
    row[column] = std::move(value);
    return pki::load_root_details(
        "# comment\n" + header_line() + pki::csv_line(good) + "\n" + pki::csv_line(row) + "\n", "t.csv");
  };
  auto column = [](std::string_view name) {
    return static_cast<std::size_t>(
        std::find(pki::kRootDetailsColumns.begin(), pki::kRootDetailsColumns.end(), name) -
        pki::kRootDetailsColumns.begin());
  };

  auto bits = load_with(column("key_bits"), "2048 bits");
  REQUIRE_FALSE(bits);
  CHECK(bits.error().input == "t.csv:4");
  CHECK_THAT(bits.error().message, Catch::Contains("key_bits"));

  auto flag = load_with(column("is_ca"), "yes");
  REQUIRE_FALSE(flag);
  CHECK(flag.error().input == "t.csv:4");
  CHECK(flag.error().message == "is_ca must be 0 or 1, not \"yes\"");
  auto self_signed = load_with(column("self_signed"), "");
  REQUIRE_FALSE(self_signed);
  CHECK_THAT(self_signed.error().message, Catch::Contains("self_signed"));

  auto date = load_with(column("not_after"), "2046-01-14T23:59:59Z");
  REQUIRE_FALSE(date);
  CHECK(date.error().input == "t.csv:4");
  auto type = load_with(column("key_type"), "rsa");
  REQUIRE_FALSE(type);
  CHECK(type.error().message == "unknown key_type \"rsa\"");
  auto sha = load_with(column("sha256"), "not hex");
  REQUIRE_FALSE(sha);
  CHECK(sha.error().input == "t.csv:4");

  auto short_row = good;
  short_row.pop_back();
  auto missing = pki::load_root_details(header_line() + pki::csv_line(short_row) + "\n", "t.csv");
  REQUIRE_FALSE(missing);
  CHECK(missing.error().input == "t.csv:2");
  CHECK(missing.error().message == "expected 17 fields, found 16");

  auto no_column = pki::load_root_details("sha256,spki_sha256\n", "t.csv");
  REQUIRE_FALSE(no_column);
  CHECK(no_column.error().input == "t.csv");
  CHECK(no_column.error().message == "no \"subject\" column");
}
