// Tests for the embedded catalogs and their loaders (checker/pki/catalogs.cpp).
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

#include "pki/catalogs.h"

using namespace tlsdoctor;

namespace {

const pki::Catalogs& embedded() {
  static const auto catalogs = [] {
    auto loaded = pki::load_embedded_catalogs();
    if (!loaded) FAIL("embedded catalogs: " << loaded.error().input << ": " << loaded.error().message);
    return *loaded;
  }();
  return catalogs;
}

bool is_hex64(const std::string& s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

pki::Certificate cert_with(std::string sha, std::string spki, std::string issuer_cn = "", std::string issuer_o = "") {
  pki::Certificate cert;
  cert.sha256 = std::move(sha);
  cert.spki_sha256 = std::move(spki);
  cert.issuer_cn = std::move(issuer_cn);
  cert.issuer_o = std::move(issuer_o);
  return cert;
}

}  // namespace

TEST_CASE("the Mozilla catalog is non-trivial, well-formed and sourced", "[catalogs]") {
  const auto& mozilla = embedded().mozilla_roots;
  CHECK(mozilla.entries.size() > 100);
  CHECK_THAT(mozilla.source, Catch::Contains("ca-certificates"));
  std::set<std::string> seen;
  for (const auto& root : mozilla.entries) {
    INFO(root.subject_cn << " / " << root.subject_o);
    CHECK(is_hex64(root.sha256));
    CHECK(is_hex64(root.spki_sha256));
    CHECK((!root.subject_cn.empty() || !root.subject_o.empty()));
    CHECK(root.not_before < root.not_after);
    CHECK(root.not_before > std::chrono::sys_days(std::chrono::year{1990} / 1 / 1));
    CHECK(seen.insert(root.sha256).second);
  }
  const auto isrg = std::find_if(mozilla.entries.begin(), mozilla.entries.end(),
                                 [](const auto& r) { return r.subject_cn == "ISRG Root X1"; });
  REQUIRE(isrg != mozilla.entries.end());
  CHECK(isrg->sha256 == "96bcec06264976f37460779acf28c5a7cfe8a3c0aae11a8ffcee05c0bddf08c6");
}

TEST_CASE("the bad-roots catalog names Superfish, eDellRoot, DSDTestProvider and DigiNotar", "[catalogs]") {
  const auto& bad = embedded().bad_roots;
  CHECK_THAT(bad.source, Catch::Contains("Chromium"));
  CHECK(bad.entries.size() > 20);
  for (const auto& entry : bad.entries) {
    INFO(entry.name);
    CHECK(is_hex64(entry.hash));
    CHECK_FALSE(entry.source.empty());
  }
  auto has = [&](std::string_view name, pki::BadRootReason reason) {
    return std::any_of(bad.entries.begin(), bad.entries.end(), [&](const auto& e) {
      return e.name.find(name) != std::string::npos && e.reason == reason;
    });
  };
  CHECK(has("Superfish", pki::BadRootReason::LeakedKey));
  CHECK(has("eDellRoot", pki::BadRootReason::LeakedKey));
  CHECK(has("DSDTestProvider", pki::BadRootReason::LeakedKey));
  CHECK(has("DigiNotar", pki::BadRootReason::Distrusted));
  // Superfish's root as published: found by certificate hash and by key hash.
  const auto* by_sha = embedded().bad_root(
      cert_with("b6fe9151402bad1c06d7e66db67a26aa7356f2e6c644dbcf9f98968ff632e1b7", std::string(64, '0')));
  REQUIRE(by_sha != nullptr);
  CHECK(by_sha->reason == pki::BadRootReason::LeakedKey);
  const auto* by_key = embedded().bad_root(
      cert_with(std::string(64, '0'), "4bb8f35ba1e126f8dde1b0c420625ed86dce61a7bddadbdea9aba578ff13145e"));
  REQUIRE(by_key != nullptr);
  CHECK(by_key->match == pki::BadRootMatch::SpkiSha256);
  CHECK(embedded().bad_root(cert_with(std::string(64, '1'), std::string(64, '2'))) == nullptr);
}

TEST_CASE("the interception catalog matches issuers case-insensitively, by field", "[catalogs]") {
  const auto& catalogs = embedded();
  CHECK(catalogs.interception_products.entries.size() >= 20);
  const auto* mitm = catalogs.interception_product(cert_with("", "", "MITMPROXY", ""));
  REQUIRE(mitm != nullptr);
  CHECK(mitm->product == "mitmproxy");
  CHECK(mitm->kind == pki::InterceptionKind::DebuggingProxy);
  const auto* zscaler = catalogs.interception_product(cert_with("", "", "Zscaler Root CA", "Zscaler Inc."));
  REQUIRE(zscaler != nullptr);
  CHECK(zscaler->vendor == "Zscaler");
  CHECK(zscaler->kind == pki::InterceptionKind::CorporateProxy);
  const auto* kaspersky =
      catalogs.interception_product(cert_with("", "", "Kaspersky Anti-Virus Personal Root Certificate", "AO Kaspersky Lab"));
  REQUIRE(kaspersky != nullptr);
  CHECK(kaspersky->kind == pki::InterceptionKind::Antivirus);
  // "Fortinet" is an organization pattern: a CN that merely mentions it does not match.
  const auto* fortinet = catalogs.interception_product(cert_with("", "", "", "Fortinet Ltd."));
  REQUIRE(fortinet != nullptr);
  CHECK(catalogs.interception_product(cert_with("", "", "ISRG Root X1", "Internet Security Research Group")) == nullptr);
}

TEST_CASE("the essential-roots catalog holds the roots the web needs and the DST trap", "[catalogs]") {
  const auto& essential = embedded().essential_roots.entries;
  std::vector<std::string> names;
  for (const auto& root : essential) {
    CHECK(is_hex64(root.sha256));
    CHECK(is_hex64(root.spki_sha256));
    names.push_back(root.name);
  }
  for (const char* needed : {"ISRG Root X1", "ISRG Root X2", "DigiCert Global Root G2", "DigiCert Global Root CA",
                             "GlobalSign Root CA", "GlobalSign Root CA - R3", "USERTrust RSA Certification Authority",
                             "USERTrust ECC Certification Authority", "Amazon Root CA 1", "GTS Root R1",
                             "GTS Root R4"}) {
    CHECK(std::find(names.begin(), names.end(), needed) != names.end());
  }
  const auto dst = std::find_if(essential.begin(), essential.end(),
                                [](const auto& r) { return r.role == pki::EssentialRole::LegacyTrap; });
  REQUIRE(dst != essential.end());
  CHECK(dst->name == "DST Root CA X3");
  CHECK(dst->sha256 == "0687260331a72403d909f105e69bcf0d32e1bd2493ffc6d9206d11bcd6770739");
  CHECK(dst->replaced_by == "ISRG Root X1");
  // Every essential root is itself in the Mozilla catalog, by fingerprint.
  for (const auto& root : essential) {
    if (root.role != pki::EssentialRole::Essential) continue;
    INFO(root.name);
    CHECK(embedded().mozilla_root(cert_with(root.sha256, root.spki_sha256)) != nullptr);
  }
}

TEST_CASE("a program root re-issued with the same key still counts as the program's", "[catalogs]") {
  const auto& first = embedded().mozilla_roots.entries.front();
  CHECK(embedded().mozilla_root(cert_with(std::string(64, 'a'), first.spki_sha256)) == &first);
  CHECK(embedded().mozilla_root(cert_with(std::string(64, 'a'), std::string(64, 'b'))) == nullptr);
}

TEST_CASE("loaders reject malformed rows, naming file and line", "[catalogs]") {
  const std::string header = "# source: test\nmatch,hash,name,reason,source\n";
  auto bad_hash = pki::load_bad_roots(header + "sha256,1234,Name,leaked_key,test\n");
  REQUIRE_FALSE(bad_hash);
  CHECK(bad_hash.error().input == "bad_roots.csv:3");
  CHECK_THAT(bad_hash.error().message, Catch::Contains("not a SHA-256"));
  auto bad_reason = pki::load_bad_roots(header + "sha256," + std::string(64, 'a') + ",Name,evil,test\n");
  REQUIRE_FALSE(bad_reason);
  CHECK_THAT(bad_reason.error().message, Catch::Contains("leaked_key, distrusted or interception"));
  auto bad_match = pki::load_bad_roots(header + "md5," + std::string(64, 'a') + ",Name,distrusted,test\n");
  CHECK_FALSE(bad_match);

  auto bad_date = pki::load_mozilla_roots(
      "sha256,spki_sha256,subject_cn,subject_o,not_before,not_after\n" + std::string(64, 'a') + "," +
      std::string(64, 'b') + ",CN,O,2015-06-04,2035-06-04T11:04:38Z\n");
  REQUIRE_FALSE(bad_date);
  CHECK(bad_date.error().input == "mozilla_roots.csv:2");

  auto missing_column = pki::load_interception_products("pattern,product\nx,y\n");
  REQUIRE_FALSE(missing_column);
  CHECK_THAT(missing_column.error().message, Catch::Contains("\"field\""));
  auto bad_kind = pki::load_interception_products(
      "pattern,field,product,vendor,kind,source\nx,cn,P,V,spyware,test\n");
  CHECK_FALSE(bad_kind);
  auto bad_field = pki::load_interception_products("pattern,field,product,vendor,kind,source\nx,ou,P,V,adware,test\n");
  CHECK_FALSE(bad_field);
  auto bad_role = pki::load_essential_roots("role,name,sha256,spki_sha256,replaced_by\nvital,X," +
                                            std::string(64, 'a') + "," + std::string(64, 'b') + ",\n");
  CHECK_FALSE(bad_role);
}

TEST_CASE("catalog timestamps parse in one form only", "[catalogs]") {
  using namespace std::chrono;
  CHECK(pki::parse_utc_timestamp("2015-06-04T11:04:38Z") ==
        sys_days(year{2015} / 6 / 4) + hours(11) + minutes(4) + seconds(38));
  CHECK(pki::parse_utc_timestamp("9999-12-31T23:59:59Z").has_value());
  CHECK_FALSE(pki::parse_utc_timestamp("2015-06-04 11:04:38Z"));
  CHECK_FALSE(pki::parse_utc_timestamp("2015-02-30T00:00:00Z"));
  CHECK_FALSE(pki::parse_utc_timestamp("2015-06-04T25:00:00Z"));
}
