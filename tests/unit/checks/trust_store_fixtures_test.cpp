// Tests for the trust_store check (checker/checks/trust_store*.cpp) end to end: fixture trees
// read by the platform backend and judged with the built-in catalogs, and this machine's store.
#include <catch2/catch.hpp>

#include <algorithm>

#include "checks/trust_store.h"
#include "lab/cert_factory.h"
#include "lab/sysroot_files.h"
#include "lab/temp_tree.h"

using namespace tlsdoctor;

namespace {

const auto kNow = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());

lab::Credential make(const std::string& cn, const std::string& org) {
  lab::CertSpec spec;
  spec.common_name = cn;
  spec.organization = org;
  auto made = lab::make_root(spec);
  REQUIRE(made);
  return std::move(*made);
}

const Finding* find(const checks::TrustStoreJudgement& j, FindingId id) {
  auto it = std::find_if(j.findings.begin(), j.findings.end(), [&](const auto& f) { return f.id == id; });
  return it == j.findings.end() ? nullptr : &*it;
}

std::string evidence(const Finding& f, const std::string& key) {
  for (const auto& e : f.evidence) {
    if (e.key == key) return e.value;
  }
  return "(no " + key + ")";
}

}  // namespace

TEST_CASE("fixture trees end to end with the built-in catalogs", "[trust_store][fixtures]") {
  auto catalogs = pki::load_embedded_catalogs();
  REQUIRE(catalogs);
  const platform::TrustStoreHints hints{"/usr/lib/ssl/cert.pem", "/usr/lib/ssl/certs", "SSL_CERT_FILE", "SSL_CERT_DIR"};

  SECTION("sysroot-broken: the bundle is missing") {
    auto tree = lab::copy_fixture("sysroot-broken");
    REQUIRE(tree);
    platform::Env env;
    env.sysroot = tree->path();
    env.run_programs = false;
    const auto facts = platform::read_trust_store(env, hints);
    const auto j = checks::judge_trust_store(facts, checks::collect_anchors(facts), *catalogs, kNow);
    const auto* f = find(j, FindingId::TrustStoreUnreadable);
    REQUIRE(f != nullptr);
    CHECK(f->severity == Severity::Fail);
  }
  SECTION("sysroot-intercepted: Debian's Mozilla roots plus a user-added mitmproxy root") {
    const auto mozilla = lab::debian_mozilla_bundle();
    if (!mozilla) {
      WARN("skipped: /usr/share/ca-certificates/mozilla is missing (apt-get install ca-certificates)");
      return;
    }
    auto tree = lab::copy_fixture("sysroot-intercepted");
    REQUIRE(tree);
    const auto mitm = make("mitmproxy", "mitmproxy");
    REQUIRE(lab::lay_out_debian_store(tree->path(), *mozilla + mitm.cert_pem(), {}));
    REQUIRE(lab::write_under(tree->path(), "/usr/local/share/ca-certificates/mitmproxy.crt", mitm.cert_pem()));
    platform::Env env;
    env.sysroot = tree->path();
    env.run_programs = false;
    const auto facts = platform::read_trust_store(env, hints);
    const auto j = checks::judge_trust_store(facts, checks::collect_anchors(facts), *catalogs, kNow);
    const auto* interception = find(j, FindingId::TrustRootInterception);
    REQUIRE(interception != nullptr);
    CHECK(evidence(*interception, "file") == "/etc/ssl/certs/ca-certificates.crt");
    CHECK(find(j, FindingId::TrustRootNonstandard) != nullptr);
    CHECK(find(j, FindingId::TrustRootMissing) == nullptr);
    CHECK(find(j, FindingId::TrustStoreEmpty) == nullptr);
    CHECK_THAT(j.summary, Catch::EndsWith("(Debian/Ubuntu bundle), 1 added locally"));
  }
}

TEST_CASE("TrustStoreCheck on this machine: shape, and SSL_CERT_FILE=/nonexistent", "[trust_store][machine]") {
  checks::Context ctx{platform::Env::from_process(), build_info(), Deadline::after(std::chrono::seconds(15))};
  ctx.env.run_programs = false;
  ctx.env.vars.erase("SSL_CERT_FILE");
  ctx.env.vars.erase("SSL_CERT_DIR");
  const checks::TrustStoreCheck check;
  CHECK(check.id() == "trust_store");
  CHECK(check.title() == "Trust store");
  const auto result = check.run(ctx);
  REQUIRE(result.status != CheckStatus::Error);
  CHECK(result.id == "trust_store");
  CHECK_FALSE(result.summary.empty());
  CHECK(result.facts.contains("sources"));
  CHECK(result.facts.contains("openssl_defaults"));
  CHECK(result.facts["catalogs"]["mozilla_roots"].get<int>() > 100);
  for (const auto& f : result.findings) {
    INFO(to_string(f.id) << ": " << f.title);
    CHECK_FALSE(f.title.empty());
    CHECK(f.fix.empty() == (f.severity == Severity::Info));
    CHECK(f.id != FindingId::TrustOverrideBroken);
  }

  ctx.env.vars["SSL_CERT_FILE"] = "/nonexistent";
  const auto broken = check.run(ctx);
  CHECK(broken.status == CheckStatus::Fail);
  const auto it = std::find_if(broken.findings.begin(), broken.findings.end(),
                               [](const auto& f) { return f.id == FindingId::TrustOverrideBroken; });
  REQUIRE(it != broken.findings.end());
  CHECK(evidence(*it, "path") == "/nonexistent");
}
