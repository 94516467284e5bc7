// Tests for the trust_store judgement (checker/checks/trust_store*.cpp) on facts built from lab
// certificates: each finding fires and stays silent.
#include <catch2/catch.hpp>

#include <algorithm>

#include "checks/trust_store.h"
#include "lab/cert_factory.h"

using namespace tlsdoctor;
using namespace std::chrono_literals;
using platform::TrustSource;
using platform::TrustSourceKind;
using platform::TrustSourceStatus;

namespace {

const auto kNow = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());

lab::Credential make(const std::string& cn, const std::string& org = "tlsdoctor lab",
                     lab::KeySpec key = lab::KeySpec::p256(),
                     std::chrono::system_clock::duration from = -24h, std::chrono::system_clock::duration to = 24h * 365) {
  lab::CertSpec spec;
  spec.common_name = cn;
  spec.organization = org;
  spec.key = key;
  const auto now = std::chrono::system_clock::now();
  spec.not_before = now + from;
  spec.not_after = now + to;
  auto made = lab::make_root(spec);
  REQUIRE(made);
  return std::move(*made);
}

pki::Certificate parsed(const lab::Credential& c) {
  auto cert = pki::parse_certificate(c.cert_der());
  REQUIRE(cert);
  return *cert;
}

TrustSource source(TrustSourceKind kind, std::string name, std::string path,
                   const std::vector<const lab::Credential*>& certs, bool used_by_openssl = false) {
  TrustSource s;
  s.kind = kind;
  s.name = std::move(name);
  s.path = std::move(path);
  s.used_by_openssl = used_by_openssl;
  s.is_directory = kind == TrustSourceKind::HashedDirectory || kind == TrustSourceKind::OpensslDefaultDir ||
                   kind == TrustSourceKind::LocalAnchors;
  std::size_t block = 0;
  for (const auto* c : certs) s.certificates.push_back({c->cert_der(), s.path, block++, {}, {}});
  s.status = certs.empty() ? TrustSourceStatus::Empty : TrustSourceStatus::Ok;
  return s;
}

// A small world: two program roots (one playing ISRG Root X1), a DST-like legacy root, a
// leaked-key root, a distrusted root, and the mitmproxy pattern.
struct World {
  lab::Credential isrg = make("ISRG Root X1", "Internet Security Research Group");
  lab::Credential other = make("Other Essential Root", "Example Trust");
  lab::Credential dst = make("DST Root CA X3", "Digital Signature Trust Co.", lab::KeySpec::p256(), -24h * 800, -24h * 400);
  lab::Credential leaked = make("eDellRoot", "");
  lab::Credential distrusted = make("DigiNotar Root CA", "DigiNotar");
  pki::Catalogs catalogs;

  World() {
    for (const auto* c : {&isrg, &other}) {
      const auto cert = parsed(*c);
      catalogs.mozilla_roots.entries.push_back({cert.sha256, cert.spki_sha256, cert.subject_cn, cert.subject_o,
                                                cert.not_before, cert.not_after});
    }
    catalogs.mozilla_roots.source = "test program";
    catalogs.essential_roots.entries.push_back(
        {pki::EssentialRole::Essential, "ISRG Root X1", parsed(isrg).sha256, parsed(isrg).spki_sha256, ""});
    catalogs.essential_roots.entries.push_back(
        {pki::EssentialRole::Essential, "Other Essential Root", parsed(other).sha256, parsed(other).spki_sha256, ""});
    catalogs.essential_roots.entries.push_back({pki::EssentialRole::LegacyTrap, "DST Root CA X3", parsed(dst).sha256,
                                                parsed(dst).spki_sha256, "ISRG Root X1"});
    catalogs.bad_roots.entries.push_back({pki::BadRootMatch::SpkiSha256, parsed(leaked).spki_sha256, "eDellRoot (Dell)",
                                          pki::BadRootReason::LeakedKey, "test"});
    catalogs.bad_roots.entries.push_back({pki::BadRootMatch::Sha256, parsed(distrusted).sha256, "DigiNotar Root CA",
                                          pki::BadRootReason::Distrusted, "test"});
    catalogs.interception_products.entries.push_back({"mitmproxy", pki::IssuerField::Either, "mitmproxy",
                                                      "mitmproxy project", pki::InterceptionKind::DebuggingProxy, "test"});
  }

  // The Debian layout: bundle, OpenSSL's default file as an alias of it, hashed directory.
  platform::TrustStoreFacts store(const std::vector<const lab::Credential*>& bundle) const {
    platform::TrustStoreFacts facts;
    facts.sources.push_back(source(TrustSourceKind::DistributionBundle, "Debian/Ubuntu bundle",
                                   "/etc/ssl/certs/ca-certificates.crt", bundle));
    TrustSource file = source(TrustSourceKind::OpensslDefaultFile, "OpenSSL default file", "/usr/lib/ssl/cert.pem", {},
                              true);
    file.same_as = 0;
    file.status = facts.sources[0].status;
    facts.sources.push_back(file);
    return facts;
  }
  platform::TrustStoreFacts healthy() const { return store({&isrg, &other}); }
};

checks::TrustStoreJudgement judge(const World& world, const platform::TrustStoreFacts& facts,
                                  std::chrono::sys_seconds now = kNow) {
  return checks::judge_trust_store(facts, checks::collect_anchors(facts), world.catalogs, now);
}

const Finding* find(const checks::TrustStoreJudgement& j, FindingId id) {
  auto it = std::find_if(j.findings.begin(), j.findings.end(), [&](const auto& f) { return f.id == id; });
  return it == j.findings.end() ? nullptr : &*it;
}

std::size_t count(const checks::TrustStoreJudgement& j, FindingId id) {
  return std::count_if(j.findings.begin(), j.findings.end(), [&](const auto& f) { return f.id == id; });
}

std::string evidence(const Finding& f, const std::string& key) {
  for (const auto& e : f.evidence) {
    if (e.key == key) return e.value;
  }
  return "(no " + key + ")";
}

const World& world() {
  static const World w;
  return w;
}

}  // namespace

TEST_CASE("a healthy store produces no finding and a count summary", "[trust_store]") {
  const auto j = judge(world(), world().healthy());
  for (const auto& f : j.findings) FAIL_CHECK("unexpected " << to_string(f.id) << ": " << f.title);
  CHECK(j.summary == "2 roots (Debian/Ubuntu bundle)");
  CHECK(j.facts["anchors"]["distinct"] == 2);
  CHECK(j.facts["anchors"]["in_openssl_store"] == 2);
  CHECK(j.facts["sources"][1]["same_as"] == "Debian/Ubuntu bundle");
}

TEST_CASE("trust.override_broken names the variable and the path", "[trust_store]") {
  auto facts = world().healthy();
  TrustSource broken = source(TrustSourceKind::EnvironmentOverride, "SSL_CERT_FILE", "/nonexistent", {}, true);
  broken.variable = "SSL_CERT_FILE";
  broken.status = TrustSourceStatus::Missing;
  broken.error = "no such file";
  facts.sources.push_back(broken);
  const auto j = judge(world(), facts);
  const auto* f = find(j, FindingId::TrustOverrideBroken);
  REQUIRE(f != nullptr);
  CHECK(f->severity == Severity::Fail);
  CHECK(f->title == "SSL_CERT_FILE points at a file that does not exist");
  CHECK(evidence(*f, "variable") == "SSL_CERT_FILE");
  CHECK(evidence(*f, "path") == "/nonexistent");
  CHECK_THAT(f->fix, Catch::Contains("unset SSL_CERT_FILE"));
  CHECK_THAT(f->fix, Catch::Contains("/etc/ssl/certs/ca-certificates.crt"));

  SECTION("a working override is silent") {
    facts.sources.back() = source(TrustSourceKind::EnvironmentOverride, "SSL_CERT_FILE", "/ok.pem", {&world().isrg}, true);
    facts.sources.back().variable = "SSL_CERT_FILE";
    CHECK(find(judge(world(), facts), FindingId::TrustOverrideBroken) == nullptr);
  }
  SECTION("an empty file is broken too") {
    facts.sources.back().status = TrustSourceStatus::Empty;
    const auto judged1 = judge(world(), facts);
    const auto* empty = find(judged1, FindingId::TrustOverrideBroken);
    REQUIRE(empty != nullptr);
    CHECK_THAT(empty->title, Catch::Contains("no usable certificate"));
  }
}

TEST_CASE("trust.store_empty and trust.store_unreadable", "[trust_store]") {
  CHECK(find(judge(world(), world().healthy()), FindingId::TrustStoreEmpty) == nullptr);
  CHECK(find(judge(world(), world().healthy()), FindingId::TrustStoreUnreadable) == nullptr);

  SECTION("a bundle without certificates: empty") {
    const auto j = judge(world(), world().store({}));
    const auto* f = find(j, FindingId::TrustStoreEmpty);
    REQUIRE(f != nullptr);
    CHECK(f->severity == Severity::Fail);
    CHECK(find(j, FindingId::TrustRootMissing) == nullptr);  // implied, not repeated
    CHECK(j.summary == "no trusted roots for OpenSSL");
  }
  SECTION("a missing bundle behind the default file: unreadable") {
    auto facts = world().store({});
    facts.sources[0].status = TrustSourceStatus::Missing;
    facts.sources[1].status = TrustSourceStatus::Missing;
    facts.sources[1].same_as.reset();
    facts.sources[1].error = "a symbolic link to a file that does not exist";
    const auto judged2 = judge(world(), facts);
    const auto* f = find(judged2, FindingId::TrustStoreUnreadable);
    REQUIRE(f != nullptr);
    CHECK(f->severity == Severity::Fail);
    CHECK_THAT(evidence(*f, "problems"), Catch::Contains("symbolic link"));
  }
  SECTION("an unreadable file while the directory still works: a warning") {
    auto facts = world().store({});
    facts.sources[0].status = TrustSourceStatus::Unreadable;
    facts.sources[0].error = "cannot open: Permission denied";
    facts.sources[1].status = TrustSourceStatus::Unreadable;
    facts.sources.push_back(source(TrustSourceKind::OpensslDefaultDir, "OpenSSL default directory",
                                   "/usr/lib/ssl/certs", {&world().isrg, &world().other}, true));
    const auto judged3 = judge(world(), facts);
    const auto* f = find(judged3, FindingId::TrustStoreUnreadable);
    REQUIRE(f != nullptr);
    CHECK(f->severity == Severity::Warn);
    CHECK(evidence(*f, "roots_still_loaded") == "2");
  }
}

TEST_CASE("trust.bundle_malformed names file and block, OpenSSL's own file is fatal", "[trust_store]") {
  CHECK(find(judge(world(), world().healthy()), FindingId::TrustBundleMalformed) == nullptr);

  SECTION("in OpenSSL's bundle: fail, and nothing from it counts") {
    auto facts = world().healthy();
    facts.sources[0].malformed.push_back({"/etc/ssl/certs/ca-certificates.crt", 3, "bad base64: invalid character"});
    const auto j = judge(world(), facts);
    const auto* f = find(j, FindingId::TrustBundleMalformed);
    REQUIRE(f != nullptr);
    CHECK(f->severity == Severity::Fail);
    CHECK(evidence(*f, "file") == "/etc/ssl/certs/ca-certificates.crt");
    CHECK(evidence(*f, "block") == "4");
    CHECK_THAT(f->title, Catch::Contains("ignore the whole file"));
    CHECK(find(j, FindingId::TrustStoreUnreadable) != nullptr);
  }
  SECTION("elsewhere: a warning, the rest still read") {
    auto facts = world().healthy();
    auto local = source(TrustSourceKind::LocalAnchors, "added locally (Debian/Ubuntu)",
                        "/usr/local/share/ca-certificates", {&world().isrg});
    local.malformed.push_back({"/usr/local/share/ca-certificates/broken.crt", 0, "the text ends before the END line"});
    facts.sources.push_back(local);
    const auto j = judge(world(), facts);
    const auto* f = find(j, FindingId::TrustBundleMalformed);
    REQUIRE(f != nullptr);
    CHECK(f->severity == Severity::Warn);
    CHECK(evidence(*f, "block") == "1");
    CHECK(find(j, FindingId::TrustStoreUnreadable) == nullptr);
  }
  SECTION("bytes that decode but are not a certificate") {
    auto facts = world().healthy();
    facts.sources[0].certificates.push_back({{0x30, 0x82, 0x00, 0x01, 0x00}, "/etc/ssl/certs/ca-certificates.crt", 2, {}, {}});
    const auto judged4 = judge(world(), facts);
    const auto* f = find(judged4, FindingId::TrustBundleMalformed);
    REQUIRE(f != nullptr);
    CHECK(f->severity == Severity::Fail);
    CHECK_THAT(evidence(*f, "problem"), Catch::Contains("not a valid X.509"));
  }
}

TEST_CASE("trust.root_expired: info for shipped roots, warning for added ones", "[trust_store]") {
  CHECK(find(judge(world(), world().healthy()), FindingId::TrustRootExpired) == nullptr);
  const auto added_expired = make("Old Corporate Root", "Corp", lab::KeySpec::p256(), -24h * 700, -24h);
  auto facts = world().healthy();
  facts.sources.push_back(source(TrustSourceKind::LocalAnchors, "added locally (Debian/Ubuntu)",
                                 "/usr/local/share/ca-certificates", {&added_expired}));
  const auto judged5 = judge(world(), facts);
  const auto* f = find(judged5, FindingId::TrustRootExpired);
  REQUIRE(f != nullptr);
  CHECK(f->severity == Severity::Warn);
  CHECK_THAT(evidence(*f, "roots"), Catch::Contains("Old Corporate Root"));
  CHECK_FALSE(f->fix.empty());

  // Judged a year later, the program's own roots have expired: harmless, information only.
  const auto later = judge(world(), world().healthy(), kNow + std::chrono::hours(24 * 400));
  const auto* shipped = find(later, FindingId::TrustRootExpired);
  REQUIRE(shipped != nullptr);
  CHECK(shipped->severity == Severity::Info);
  CHECK(shipped->fix.empty());
}

TEST_CASE("trust.root_not_yet_valid", "[trust_store]") {
  CHECK(find(judge(world(), world().healthy()), FindingId::TrustRootNotYetValid) == nullptr);
  const auto early = judge(world(), world().healthy(), kNow - std::chrono::hours(24 * 3));
  const auto* f = find(early, FindingId::TrustRootNotYetValid);
  REQUIRE(f != nullptr);
  CHECK(f->severity == Severity::Warn);
  CHECK(evidence(*f, "count") == "2");
  CHECK_THAT(f->fix, Catch::Contains("clock"));
}

TEST_CASE("trust.root_weak_key: RSA under 2048 bits", "[trust_store]") {
  const auto strong = make("Strong RSA Root", "Corp", lab::KeySpec::rsa(2048));
  const auto weak = make("Weak RSA Root", "Corp", lab::KeySpec::rsa(1024));
  auto facts = world().store({&world().isrg, &world().other, &strong});
  CHECK(find(judge(world(), facts), FindingId::TrustRootWeakKey) == nullptr);
  facts = world().store({&world().isrg, &world().other, &weak});
  const auto judged6 = judge(world(), facts);
  const auto* f = find(judged6, FindingId::TrustRootWeakKey);
  REQUIRE(f != nullptr);
  CHECK(f->severity == Severity::Warn);
  CHECK_THAT(evidence(*f, "roots"), Catch::Contains("Weak RSA Root (RSA 1024 bits"));
}

TEST_CASE("trust.root_nonstandard: a warning for added roots, information for shipped ones", "[trust_store]") {
  CHECK(find(judge(world(), world().healthy()), FindingId::TrustRootNonstandard) == nullptr);
  const auto corp = make("Example Corp Root", "Example Corp");
  auto facts = world().healthy();
  facts.sources.push_back(source(TrustSourceKind::LocalAnchors, "added locally (Debian/Ubuntu)",
                                 "/usr/local/share/ca-certificates", {&corp}));
  const auto j = judge(world(), facts);
  const auto* f = find(j, FindingId::TrustRootNonstandard);
  REQUIRE(f != nullptr);
  CHECK(f->severity == Severity::Warn);
  CHECK_THAT(evidence(*f, "roots"), Catch::Contains("CN=Example Corp Root,O=Example Corp"));
  CHECK_THAT(evidence(*f, "roots"), Catch::Contains("added locally (Debian/Ubuntu)"));
  CHECK(j.summary == "2 roots (Debian/Ubuntu bundle), 1 added locally");
  CHECK(j.facts["roots_outside_program"].size() == 1);

  const auto shipped = judge(world(), world().store({&world().isrg, &world().other, &corp}));
  const auto* info = find(shipped, FindingId::TrustRootNonstandard);
  REQUIRE(info != nullptr);
  CHECK(info->severity == Severity::Info);
}

TEST_CASE("trust.root_leaked_key and trust.root_distrusted", "[trust_store]") {
  const auto healthy = judge(world(), world().healthy());
  CHECK(find(healthy, FindingId::TrustRootLeakedKey) == nullptr);
  CHECK(find(healthy, FindingId::TrustRootDistrusted) == nullptr);

  auto facts = world().healthy();
  facts.sources.push_back(source(TrustSourceKind::LocalAnchors, "added locally (Debian/Ubuntu)",
                                 "/usr/local/share/ca-certificates", {&world().leaked, &world().distrusted}));
  const auto j = judge(world(), facts);
  const auto* leaked = find(j, FindingId::TrustRootLeakedKey);
  REQUIRE(leaked != nullptr);
  CHECK(leaked->severity == Severity::Fail);
  CHECK(evidence(*leaked, "known_as") == "eDellRoot (Dell)");
  CHECK_THAT(leaked->fix, Catch::Contains("Remove this root"));
  const auto* distrusted = find(j, FindingId::TrustRootDistrusted);
  REQUIRE(distrusted != nullptr);
  CHECK(distrusted->severity == Severity::Fail);

  SECTION("a root the machine's own blocklist names but that is still trusted") {
    const auto blocked = make("Locally Blocked Root", "Corp");
    auto with_blocklist = world().store({&world().isrg, &world().other, &blocked});
    with_blocklist.sources.push_back(source(TrustSourceKind::Distrust, "RHEL/Fedora local blocklist",
                                            "/etc/pki/ca-trust/source/blocklist", {&blocked}));
    const auto b = judge(world(), with_blocklist);
    REQUIRE(count(b, FindingId::TrustRootDistrusted) == 1);
    CHECK_THAT(find(b, FindingId::TrustRootDistrusted)->fix, Catch::Contains("update-ca-trust"));
    // The blocklist entry itself is not an anchor.
    CHECK(b.facts["anchors"]["distinct"] == 3);
    CHECK(b.facts["anchors"]["distrusted_entries"] == 1);
  }
}

TEST_CASE("trust.root_interception names product, vendor and kind", "[trust_store]") {
  CHECK(find(judge(world(), world().healthy()), FindingId::TrustRootInterception) == nullptr);
  const auto mitm = make("mitmproxy", "mitmproxy");
  auto facts = world().healthy();
  facts.sources.push_back(source(TrustSourceKind::LocalAnchors, "added locally (Debian/Ubuntu)",
                                 "/usr/local/share/ca-certificates", {&mitm}));
  const auto judged7 = judge(world(), facts);
  const auto* f = find(judged7, FindingId::TrustRootInterception);
  REQUIRE(f != nullptr);
  CHECK(f->severity == Severity::Warn);
  CHECK(evidence(*f, "product") == "mitmproxy");
  CHECK(evidence(*f, "vendor") == "mitmproxy project");
  CHECK(evidence(*f, "kind") == "debugging_proxy");
  CHECK_THAT(f->title, Catch::Contains("debugging_proxy"));

  SECTION("a root the policy's expected inspection names is information, and not non-standard") {
    const auto anchors = checks::collect_anchors(facts);
    const auto nonstandard_before = find(judged7, FindingId::TrustRootNonstandard);
    REQUIRE(nonstandard_before != nullptr);
    const std::vector<policy::ExpectedInspection> expected{{"Developers' mitmproxy", {"mitmproxy"}, {}}};
    const auto j = checks::judge_trust_store(facts, anchors, world().catalogs, kNow, expected);
    const auto* info = find(j, FindingId::TrustRootInterception);
    REQUIRE(info != nullptr);
    CHECK(info->severity == Severity::Info);
    CHECK(evidence(*info, "expected_inspection") == "Developers' mitmproxy");
    CHECK(info->fix.empty());
    CHECK(find(j, FindingId::TrustRootNonstandard) == nullptr);
  }
}

TEST_CASE("trust.root_missing: a warning for one or two, a failure for more", "[trust_store]") {
  CHECK(find(judge(world(), world().healthy()), FindingId::TrustRootMissing) == nullptr);
  const auto one = judge(world(), world().store({&world().other}));
  const auto* f = find(one, FindingId::TrustRootMissing);
  REQUIRE(f != nullptr);
  CHECK(f->severity == Severity::Warn);
  CHECK(evidence(*f, "missing") == "ISRG Root X1");

  pki::Catalogs more = world().catalogs;
  for (const char* name : {"Essential Three", "Essential Four"}) {
    const auto extra = make(name);
    more.essential_roots.entries.push_back(
        {pki::EssentialRole::Essential, name, parsed(extra).sha256, parsed(extra).spki_sha256, ""});
  }
  const auto facts = world().store({&world().other});
  const auto three = checks::judge_trust_store(facts, checks::collect_anchors(facts), more, kNow);
  const auto* fail = find(three, FindingId::TrustRootMissing);
  REQUIRE(fail != nullptr);
  CHECK(fail->severity == Severity::Fail);
  CHECK(evidence(*fail, "count") == "3");
}

TEST_CASE("trust.legacy_root_trap: expired DST Root CA X3 without ISRG Root X1", "[trust_store]") {
  const auto trap = judge(world(), world().store({&world().dst, &world().other}));
  const auto* f = find(trap, FindingId::TrustLegacyRootTrap);
  REQUIRE(f != nullptr);
  CHECK(f->severity == Severity::Fail);
  CHECK(evidence(*f, "missing_root") == "ISRG Root X1");
  CHECK(evidence(*f, "expired_root") == "DST Root CA X3");

  const auto both = judge(world(), world().store({&world().dst, &world().isrg, &world().other}));
  CHECK(find(both, FindingId::TrustLegacyRootTrap) == nullptr);
  CHECK(find(both, FindingId::TrustRootExpired) != nullptr);  // still an expired root
  CHECK(find(judge(world(), world().healthy()), FindingId::TrustLegacyRootTrap) == nullptr);
}

TEST_CASE("NSS entries count as anchors only with TLS trust", "[trust_store]") {
  auto facts = world().healthy();
  const auto corp = make("NSS Corp Root", "Corp");
  const auto client = make("My Client Cert", "Me");
  auto nss = source(TrustSourceKind::NssDatabase, "user NSS database", "/home/user/.pki/nssdb", {&corp, &client});
  nss.certificates[0].nss_trust = "CT,C,C";
  nss.certificates[1].nss_trust = "u,u,u";
  facts.sources.push_back(nss);
  const auto j = judge(world(), facts);
  CHECK(j.facts["anchors"]["distinct"] == 3);
  CHECK(j.facts["anchors"]["nss_without_tls_trust"] == 1);
  CHECK(j.facts["anchors"]["user_added"] == 1);
  CHECK(j.summary == "2 roots (Debian/Ubuntu bundle), 1 in the user NSS database");
}
