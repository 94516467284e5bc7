// Tests for the Linux trust store backend (platform/src/trust_store_linux.cpp) on fixture trees
// whose certificates the lab generates at test time.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "lab/cert_factory.h"
#include "lab/sysroot_files.h"
#include "lab/temp_tree.h"
#include "platform/trust_store.h"

using namespace tlsdoctor;
using platform::TrustSource;
using platform::TrustSourceKind;
using platform::TrustSourceStatus;

namespace {

const platform::TrustStoreHints kDebianHints{"/usr/lib/ssl/cert.pem", "/usr/lib/ssl/certs", "SSL_CERT_FILE",
                                             "SSL_CERT_DIR"};
const platform::TrustStoreHints kRhelHints{"/etc/pki/tls/cert.pem", "/etc/pki/tls/certs", "SSL_CERT_FILE",
                                           "SSL_CERT_DIR"};

lab::Credential root(const std::string& cn) {
  lab::CertSpec spec;
  spec.common_name = cn;
  spec.organization = "tlsdoctor lab";
  auto made = lab::make_root(spec);
  REQUIRE(made);
  return std::move(*made);
}

lab::TempTree fixture(const char* name) {
  auto tree = lab::copy_fixture(name);
  REQUIRE(tree);
  return std::move(*tree);
}

platform::Env env_for(const lab::TempTree& tree) {
  platform::Env env;
  env.sysroot = tree.path();
  env.run_programs = false;
  return env;
}

const TrustSource* find(const platform::TrustStoreFacts& facts, std::string_view name) {
  for (const auto& source : facts.sources) {
    if (source.name == name) return &source;
  }
  return nullptr;
}

const TrustSource& must_find(const platform::TrustStoreFacts& facts, std::string_view name) {
  const auto* source = find(facts, name);
  INFO("source " << name);
  REQUIRE(source != nullptr);
  return *source;
}

void write(const lab::TempTree& tree, std::string_view absolute, const std::string& content) {
  REQUIRE(lab::write_under(tree.path(), absolute, content));
}

}  // namespace

TEST_CASE("Debian-like tree: bundle, default paths, hashed directory, local anchors", "[trust_store]") {
  auto tree = fixture("sysroot-debian");
  const auto a = root("Lab Root A");
  const auto b = root("Lab Root B");
  const auto c = root("Lab Root C (directory only)");
  const auto d = root("Lab Corporate Root");
  REQUIRE(lab::lay_out_debian_store(tree.path(), lab::pem_bundle({&a, &b}), {&a, &c}));
  write(tree, "/usr/local/share/ca-certificates/corp/corporate.crt", d.cert_pem());
  write(tree, "/usr/local/share/ca-certificates/ignored.pem", d.cert_pem());  // not *.crt

  const auto facts = platform::read_trust_store(env_for(tree), kDebianHints);

  const auto& bundle = must_find(facts, "Debian/Ubuntu bundle");
  CHECK(bundle.kind == TrustSourceKind::DistributionBundle);
  CHECK(bundle.status == TrustSourceStatus::Ok);
  CHECK(bundle.path == "/etc/ssl/certs/ca-certificates.crt");
  REQUIRE(bundle.certificates.size() == 2);
  CHECK(bundle.certificates[0].der == a.cert_der());
  CHECK(bundle.certificates[1].block == 1);
  CHECK(bundle.certificates[1].file == "/etc/ssl/certs/ca-certificates.crt");
  CHECK_FALSE(bundle.used_by_openssl);

  // OpenSSL's default file is a link to the bundle: recognised, not read twice.
  const auto& default_file = must_find(facts, "OpenSSL default file");
  CHECK(default_file.used_by_openssl);
  REQUIRE(default_file.same_as);
  CHECK(&facts.sources[*default_file.same_as] == &bundle);
  CHECK(&facts.resolve(default_file) == &bundle);
  CHECK(default_file.status == TrustSourceStatus::Ok);

  const auto& hashed = must_find(facts, "hashed directory");
  CHECK(hashed.is_directory);
  CHECK(hashed.status == TrustSourceStatus::Ok);
  CHECK(hashed.certificates.size() == 2);
  CHECK(hashed.duplicates == 1);  // A is also in the bundle
  CHECK(hashed.files_read == 2);  // the bundle file itself has no hash name
  const auto& default_dir = must_find(facts, "OpenSSL default directory");
  CHECK(default_dir.used_by_openssl);
  REQUIRE(default_dir.same_as);
  CHECK(&facts.resolve(default_dir) == &hashed);

  const auto& local = must_find(facts, "added locally (Debian/Ubuntu)");
  CHECK(local.kind == TrustSourceKind::LocalAnchors);
  REQUIRE(local.certificates.size() == 1);
  CHECK(local.certificates[0].file == "/usr/local/share/ca-certificates/corp/corporate.crt");

  CHECK(must_find(facts, "RHEL/Fedora bundle").status == TrustSourceStatus::Missing);
  CHECK(must_find(facts, "Alpine bundle").status == TrustSourceStatus::Missing);
  CHECK(must_find(facts, "added locally (RHEL/Fedora)").status == TrustSourceStatus::Missing);

  // The committed /etc/ca-certificates.conf deselects one root (whose file this tree lacks).
  REQUIRE(facts.debian_deselected == std::vector<std::string>{"mozilla/Example_Deselected_Root.crt"});
  const auto& deselected = must_find(facts, "Debian deselected certificates");
  CHECK(deselected.kind == TrustSourceKind::Distrust);
  CHECK(deselected.status == TrustSourceStatus::Empty);
  CHECK_THAT(deselected.error, Catch::Contains("Example_Deselected_Root.crt"));

  REQUIRE(facts.overrides.size() == 5);
  for (const auto& variable : facts.overrides) CHECK_FALSE(variable.value);
  CHECK(find(facts, "SSL_CERT_FILE") == nullptr);

  // Programs are off in this environment: the NSS database is not looked at.
  const auto& nss = must_find(facts, "user NSS database");
  CHECK(nss.status != TrustSourceStatus::Ok);
}

TEST_CASE("a damaged block in a bundle is named and the rest is still read", "[trust_store]") {
  auto tree = fixture("sysroot-debian");
  const auto a = root("Before");
  const auto b = root("After");
  const std::string damaged = "-----BEGIN CERTIFICATE-----\nMIIB$$$$\n-----END CERTIFICATE-----\n";
  REQUIRE(lab::lay_out_debian_store(tree.path(), a.cert_pem() + damaged + b.cert_pem(), {}));

  const auto facts = platform::read_trust_store(env_for(tree), kDebianHints);
  const auto& bundle = must_find(facts, "Debian/Ubuntu bundle");
  CHECK(bundle.status == TrustSourceStatus::Ok);
  CHECK(bundle.certificates.size() == 2);
  REQUIRE(bundle.malformed.size() == 1);
  CHECK(bundle.malformed[0].file == "/etc/ssl/certs/ca-certificates.crt");
  CHECK(bundle.malformed[0].block == 1);
  CHECK_THAT(bundle.malformed[0].reason, Catch::Contains("bad base64"));
  CHECK(bundle.certificates[1].block == 2);
}

TEST_CASE("broken tree: the default file is a dangling link to a missing bundle", "[trust_store]") {
  auto tree = fixture("sysroot-broken");
  const auto facts = platform::read_trust_store(env_for(tree), kDebianHints);
  CHECK(must_find(facts, "Debian/Ubuntu bundle").status == TrustSourceStatus::Missing);
  const auto& default_file = must_find(facts, "OpenSSL default file");
  CHECK(default_file.used_by_openssl);
  CHECK(default_file.status == TrustSourceStatus::Missing);
  CHECK_THAT(default_file.error, Catch::Contains("symbolic link"));
  CHECK(must_find(facts, "OpenSSL default directory").status == TrustSourceStatus::Missing);
}

TEST_CASE("override variables: set, missing, empty, directories, lists", "[trust_store]") {
  auto tree = fixture("sysroot-debian");
  const auto a = root("Override Root");
  REQUIRE(lab::lay_out_debian_store(tree.path(), a.cert_pem(), {}));
  write(tree, "/opt/corp/bundle.pem", a.cert_pem());
  write(tree, "/opt/corp/empty.pem", "");
  write(tree, "/opt/hashed/" + lab::subject_hash_name(a), a.cert_pem());
  write(tree, "/opt/unhashed/corp.pem", a.cert_pem());
  auto env = env_for(tree);

  SECTION("SSL_CERT_FILE at a missing file replaces the default file") {
    env.vars["SSL_CERT_FILE"] = "/nonexistent";
    const auto facts = platform::read_trust_store(env, kDebianHints);
    const auto& source = must_find(facts, "SSL_CERT_FILE");
    CHECK(source.kind == TrustSourceKind::EnvironmentOverride);
    CHECK(source.variable == "SSL_CERT_FILE");
    CHECK(source.path == "/nonexistent");
    CHECK(source.status == TrustSourceStatus::Missing);
    CHECK(source.used_by_openssl);
    CHECK_FALSE(must_find(facts, "OpenSSL default file").used_by_openssl);
    CHECK(must_find(facts, "OpenSSL default directory").used_by_openssl);
    REQUIRE(facts.overrides[0].name == "SSL_CERT_FILE");
    CHECK(facts.overrides[0].value == std::optional<std::string>("/nonexistent"));
  }
  SECTION("an empty file and an empty value") {
    env.vars["CURL_CA_BUNDLE"] = "/opt/corp/empty.pem";
    env.vars["NODE_EXTRA_CA_CERTS"] = "";
    const auto facts = platform::read_trust_store(env, kDebianHints);
    const auto& curl = must_find(facts, "CURL_CA_BUNDLE");
    CHECK(curl.status == TrustSourceStatus::Empty);
    CHECK(curl.error == "the file is empty");
    CHECK_FALSE(curl.used_by_openssl);
    const auto& node = must_find(facts, "NODE_EXTRA_CA_CERTS");
    CHECK(node.status == TrustSourceStatus::Missing);
    CHECK_THAT(node.error, Catch::Contains("empty value"));
  }
  SECTION("a working file override is read, and recognised as the same file as another source") {
    env.vars["SSL_CERT_FILE"] = "/opt/corp/bundle.pem";
    env.vars["REQUESTS_CA_BUNDLE"] = "/opt/corp/bundle.pem";
    const auto facts = platform::read_trust_store(env, kDebianHints);
    const auto& ssl = must_find(facts, "SSL_CERT_FILE");
    CHECK(ssl.status == TrustSourceStatus::Ok);
    CHECK(ssl.certificates.size() == 1);
    CHECK(ssl.duplicates == 1);  // same bytes as the Debian bundle's root
    const auto& requests = must_find(facts, "REQUESTS_CA_BUNDLE");
    REQUIRE(requests.same_as);
    CHECK(&facts.resolve(requests) == &ssl);
  }
  SECTION("a file variable pointing at a directory cannot be read; REQUESTS_CA_BUNDLE may be one") {
    env.vars["CURL_CA_BUNDLE"] = "/opt/hashed";
    env.vars["REQUESTS_CA_BUNDLE"] = "/opt/hashed";
    const auto facts = platform::read_trust_store(env, kDebianHints);
    const auto& curl = must_find(facts, "CURL_CA_BUNDLE");
    CHECK(curl.status == TrustSourceStatus::Unreadable);
    CHECK(curl.error == "is a directory, not a file");
    const auto& requests = must_find(facts, "REQUESTS_CA_BUNDLE");
    CHECK(requests.is_directory);
    CHECK(requests.status == TrustSourceStatus::Ok);
    CHECK(requests.certificates.size() == 1);
  }
  SECTION("SSL_CERT_DIR is a colon-separated list; a directory without hash names finds nothing") {
    env.vars["SSL_CERT_DIR"] = "/opt/hashed:/opt/unhashed:/opt/none";
    const auto facts = platform::read_trust_store(env, kDebianHints);
    std::vector<const TrustSource*> dirs;
    for (const auto& source : facts.sources) {
      if (source.variable == "SSL_CERT_DIR" && source.kind == TrustSourceKind::EnvironmentOverride) {
        dirs.push_back(&source);
      }
    }
    REQUIRE(dirs.size() == 3);
    CHECK(dirs[0]->status == TrustSourceStatus::Ok);
    CHECK(dirs[0]->used_by_openssl);
    CHECK(dirs[1]->status == TrustSourceStatus::Empty);
    CHECK_THAT(dirs[1]->error, Catch::Contains("openssl rehash"));
    CHECK(dirs[2]->status == TrustSourceStatus::Missing);
    CHECK_FALSE(must_find(facts, "OpenSSL default directory").used_by_openssl);
  }
}

TEST_CASE("RHEL-like tree: extracted bundle, DER anchor, blocklist", "[trust_store]") {
  auto tree = fixture("sysroot-rhel-legacy");
  const auto a = root("RHEL Root");
  const auto blocked = root("Blocked Root");
  const auto anchor = root("DER Anchor");
  write(tree, "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem", lab::pem_bundle({&a, &blocked}));
  const auto der = anchor.cert_der();
  write(tree, "/etc/pki/ca-trust/source/anchors/corp.der", std::string(der.begin(), der.end()));
  write(tree, "/etc/pki/ca-trust/source/blocklist/blocked.pem", blocked.cert_pem());

  const auto facts = platform::read_trust_store(env_for(tree), kRhelHints);
  const auto& extracted = must_find(facts, "RHEL/Fedora extracted bundle");
  // ca-bundle.crt comes first in the list and links to the extracted bundle.
  const auto& bundle = must_find(facts, "RHEL/Fedora bundle");
  CHECK(bundle.status == TrustSourceStatus::Ok);
  CHECK(bundle.certificates.size() == 2);
  REQUIRE(extracted.same_as);
  CHECK(&facts.resolve(extracted) == &bundle);
  const auto& default_file = must_find(facts, "OpenSSL default file");
  CHECK(&facts.resolve(default_file) == &bundle);
  CHECK(must_find(facts, "Debian/Ubuntu bundle").status == TrustSourceStatus::Missing);

  const auto& anchors = must_find(facts, "added locally (RHEL/Fedora)");
  REQUIRE(anchors.certificates.size() == 1);
  CHECK(anchors.certificates[0].der == der);

  const auto& blocklist = must_find(facts, "RHEL/Fedora local blocklist");
  CHECK(blocklist.kind == TrustSourceKind::Distrust);
  REQUIRE(blocklist.certificates.size() == 1);
  CHECK(blocklist.certificates[0].der == blocked.cert_der());
}

TEST_CASE("intercepted tree: a user-added interception root in /usr/local/share/ca-certificates", "[trust_store]") {
  auto tree = fixture("sysroot-intercepted");
  lab::CertSpec spec;
  spec.common_name = "mitmproxy";
  spec.organization = "mitmproxy";
  auto mitm = lab::make_root(spec);
  REQUIRE(mitm);
  const auto a = root("Ordinary Root");
  // update-ca-certificates appends local anchors to the bundle.
  REQUIRE(lab::lay_out_debian_store(tree.path(), lab::pem_bundle({&a, &*mitm}), {}));
  write(tree, "/usr/local/share/ca-certificates/mitmproxy.crt", mitm->cert_pem());

  const auto facts = platform::read_trust_store(env_for(tree), kDebianHints);
  const auto& local = must_find(facts, "added locally (Debian/Ubuntu)");
  REQUIRE(local.certificates.size() == 1);
  CHECK(local.certificates[0].der == mitm->cert_der());
  CHECK(local.duplicates == 1);
  CHECK(must_find(facts, "Debian/Ubuntu bundle").certificates.size() == 2);
}

TEST_CASE("a source is cut off at the certificate limit", "[trust_store]") {
  auto tree = fixture("sysroot-debian");
  const auto a = root("Repeated");
  std::string huge;
  const std::string pem = a.cert_pem();
  for (std::size_t i = 0; i <= platform::kMaxCertificatesPerTrustSource; ++i) huge += pem;
  REQUIRE(lab::lay_out_debian_store(tree.path(), huge, {}));
  const auto facts = platform::read_trust_store(env_for(tree), kDebianHints);
  const auto& bundle = must_find(facts, "Debian/Ubuntu bundle");
  CHECK(bundle.truncated);
  CHECK(bundle.certificates.size() == platform::kMaxCertificatesPerTrustSource);
}

TEST_CASE("the user's NSS database is read through certutil, with trust flags", "[trust_store]") {
  auto tree = fixture("sysroot-debian");
  const auto corp = root("NSS Corporate Root");
  const auto client = root("Client Certificate");
  const auto corp_pem = tree.path() / "nss-corp.pem";
  const auto client_pem = tree.path() / "nss-client.pem";
  REQUIRE(lab::write_file(corp_pem, corp.cert_pem()));
  REQUIRE(lab::write_file(client_pem, client.cert_pem()));
  // A stand-in for certutil (in the sysroot's /usr/bin) that answers like the real one.
  const std::string script =
      "#!/bin/sh\n"
      "case \"$*\" in\n"
      "  *'-n corp root'*) cat '" + corp_pem.string() + "' ;;\n"
      "  *'-n my client cert'*) cat '" + client_pem.string() + "' ;;\n"
      "  *'-n broken'*) exit 255 ;;\n"
      "  *'-L -d sql:'*) printf '\\nCertificate Nickname                                         Trust Attributes\\n"
      "                                                             SSL,S/MIME,JAR/XPI\\n\\n"
      "corp root                                                    CT,C,C\\n"
      "my client cert                                               u,u,u\\n"
      "broken                                                       C,,\\n' ;;\n"
      "  *) exit 1 ;;\n"
      "esac\n";
  write(tree, "/usr/bin/certutil", script);
  std::filesystem::permissions(tree.path() / "usr/bin/certutil", std::filesystem::perms::owner_all);
  write(tree, "/home/user/.pki/nssdb/cert9.db", "");
  auto env = env_for(tree);
  env.vars["HOME"] = "/home/user";
  env.vars["PATH"] = "/usr/bin:/bin";

  SECTION("certutil present") {
    env.run_programs = true;
    const auto facts = platform::read_trust_store(env, kDebianHints);
    const auto& nss = must_find(facts, "user NSS database");
    CHECK(nss.kind == TrustSourceKind::NssDatabase);
    CHECK(nss.path == "/home/user/.pki/nssdb");
    CHECK(nss.status == TrustSourceStatus::Ok);
    REQUIRE(nss.certificates.size() == 2);
    CHECK(nss.certificates[0].nss_nickname == "corp root");
    CHECK(nss.certificates[0].nss_trust == "CT,C,C");
    CHECK(nss.certificates[0].der == corp.cert_der());
    CHECK(nss.certificates[1].nss_trust == "u,u,u");
    CHECK_THAT(nss.error, Catch::Contains("broken"));
    CHECK(nss.files_read == 3);
  }
  SECTION("programs turned off") {
    env.run_programs = false;
    const auto facts = platform::read_trust_store(env, kDebianHints);
    const auto& nss = must_find(facts, "user NSS database");
    CHECK(nss.status == TrustSourceStatus::Skipped);
    CHECK_THAT(nss.error, Catch::Contains("turned off"));
  }
  SECTION("certutil not installed") {
    std::filesystem::remove(tree.path() / "usr/bin/certutil");
    env.run_programs = true;
    const auto facts = platform::read_trust_store(env, kDebianHints);
    const auto& nss = must_find(facts, "user NSS database");
    CHECK(nss.status == TrustSourceStatus::Skipped);
    CHECK_THAT(nss.error, Catch::Contains("libnss3-tools"));
  }
}

TEST_CASE("this machine's trust store has the expected shape", "[trust_store][machine]") {
  platform::Env env = platform::Env::from_process();
  env.run_programs = false;  // keep the shape test independent of the user's NSS database
  const auto facts = platform::read_trust_store(env, kDebianHints);
  REQUIRE_FALSE(facts.sources.empty());
  std::size_t certificates = 0;
  for (const auto& source : facts.sources) {
    INFO(source.name << " at " << source.path);
    CHECK_FALSE(source.name.empty());
    if (source.status == TrustSourceStatus::Ok && !source.same_as) CHECK_FALSE(source.certificates.empty());
    if (source.status != TrustSourceStatus::Ok) CHECK(source.certificates.empty());
    if (source.same_as) CHECK(*source.same_as < facts.sources.size());
    certificates += source.certificates.size();
  }
  std::error_code ec;
  if (!std::filesystem::exists("/etc/ssl/certs/ca-certificates.crt", ec)) {
    WARN("skipped: this machine has no Debian CA bundle (apt-get install ca-certificates)");
    return;
  }
  const auto& bundle = must_find(facts, "Debian/Ubuntu bundle");
  CHECK(bundle.status == TrustSourceStatus::Ok);
  CHECK(bundle.certificates.size() > 100);
  CHECK(bundle.malformed.empty());
  CHECK(certificates >= bundle.certificates.size());
}
