// Tests for the lab's certificate factory (tests/lab/cert_factory.cpp), which later suites build on.
#include <catch2/catch.hpp>

#include <openssl/x509v3.h>

#include "lab/cert_factory.h"
#include "lab/sysroot_files.h"
#include "lab/temp_tree.h"
#include "pki/certificate.h"

using namespace tlsdoctor;
using namespace std::chrono_literals;

TEST_CASE("a root, an intermediate and a leaf form a chain OpenSSL verifies", "[lab]") {
  lab::CertSpec root_spec;
  root_spec.common_name = "Lab Chain Root";
  root_spec.key = lab::KeySpec::p384();
  auto root = lab::make_root(root_spec);
  REQUIRE(root);
  lab::CertSpec mid_spec;
  mid_spec.common_name = "Lab Chain Intermediate";
  mid_spec.path_length = 0;
  auto mid = lab::make_intermediate(mid_spec, *root);
  REQUIRE(mid);
  lab::CertSpec leaf_spec;
  leaf_spec.common_name = "service.test";
  leaf_spec.ip_addresses = {"127.0.0.1"};
  leaf_spec.dns_names = {"service.test", "alt.test"};
  leaf_spec.key = lab::KeySpec::rsa(2048);
  auto leaf = lab::make_leaf(leaf_spec, *mid);
  REQUIRE(leaf);

  X509_STORE* store = X509_STORE_new();
  REQUIRE(X509_STORE_add_cert(store, root->cert.get()) == 1);
  STACK_OF(X509)* untrusted = sk_X509_new_null();
  sk_X509_push(untrusted, mid->cert.get());
  X509_STORE_CTX* ctx = X509_STORE_CTX_new();
  REQUIRE(X509_STORE_CTX_init(ctx, store, leaf->cert.get(), untrusted) == 1);
  X509_VERIFY_PARAM_set1_host(X509_STORE_CTX_get0_param(ctx), "alt.test", 0);
  const int ok = X509_verify_cert(ctx);
  INFO(X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx)));
  CHECK(ok == 1);
  X509_STORE_CTX_free(ctx);
  sk_X509_free(untrusted);
  X509_STORE_free(store);

  // serverAuth by default, and the IP SAN is there.
  CHECK((X509_get_extended_key_usage(leaf->cert.get()) & XKU_SSL_SERVER) != 0);
  CHECK(X509_check_ip_asc(leaf->cert.get(), "127.0.0.1", 0) == 1);
}

TEST_CASE("expired and not-yet-valid windows are what they say", "[lab]") {
  const auto now = std::chrono::system_clock::now();
  lab::CertSpec spec;
  spec.common_name = "Expired";
  spec.not_before = now - 48h;
  spec.not_after = now - 24h;
  auto expired = lab::make_root(spec);
  REQUIRE(expired);
  CHECK(X509_cmp_current_time(X509_get0_notAfter(expired->cert.get())) < 0);
  spec.common_name = "Future";
  spec.not_before = now + 24h;
  spec.not_after = now + 48h;
  auto future = lab::make_root(spec);
  REQUIRE(future);
  CHECK(X509_cmp_current_time(X509_get0_notBefore(future->cert.get())) > 0);
}

TEST_CASE("PEM and DER forms of certificate and key agree", "[lab]") {
  lab::CertSpec spec;
  spec.common_name = "Encodings";
  auto root = lab::make_root(spec);
  REQUIRE(root);
  CHECK_THAT(root->cert_pem(), Catch::StartsWith("-----BEGIN CERTIFICATE-----"));
  CHECK_THAT(root->key_pem(), Catch::StartsWith("-----BEGIN PRIVATE KEY-----"));
  CHECK_FALSE(root->key_der().empty());
  const auto der = root->cert_der();
  auto parsed = pki::parse_certificate(der);
  REQUIRE(parsed);
  CHECK(parsed->subject_cn == "Encodings");
  const auto copy = root->clone();
  CHECK(copy.cert_der() == der);
  CHECK(lab::pem_bundle({&*root, &copy}) == root->cert_pem() + root->cert_pem());
}

TEST_CASE("bundles and sysroot files are written where asked", "[lab]") {
  auto tree = lab::TempTree::create("tlsdoctor-lab-");
  REQUIRE(tree);
  lab::CertSpec spec;
  spec.common_name = "Written";
  auto root = lab::make_root(spec);
  REQUIRE(root);
  REQUIRE(lab::write_pem_bundle(tree->path() / "a" / "b.pem", {&*root}));
  CHECK(std::filesystem::file_size(tree->path() / "a" / "b.pem") == root->cert_pem().size());
  REQUIRE(lab::lay_out_debian_store(tree->path(), root->cert_pem(), {&*root}));
  CHECK(std::filesystem::is_regular_file(tree->path() / "etc/ssl/certs" / lab::subject_hash_name(*root)));
  CHECK(std::filesystem::read_symlink(tree->path() / "usr/lib/ssl/cert.pem") == "/etc/ssl/certs/ca-certificates.crt");
  const auto kept = tree->path();
  { auto moved = std::move(*tree); }
  CHECK_FALSE(std::filesystem::exists(kept));
}
