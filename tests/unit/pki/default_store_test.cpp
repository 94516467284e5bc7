// Tests for loading OpenSSL's default trust paths with shared certificates decoded on demand, against OpenSSL's own loader (checker/pki/default_store.cpp).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <openssl/pem.h>
#include <openssl/x509_vfy.h>

#include "lab/cert_factory.h"
#include "lab/temp_tree.h"
#include "pki/certificate.h"
#include "pki/default_store.h"

using namespace tlsdoctor;

namespace {

// Sets an environment variable for one scope and puts the old value back.
class ScopedVariable {
 public:
  ScopedVariable(const char* name, const std::string& value) : name_(name) {
    if (const char* old = std::getenv(name)) saved_ = old;
    ::setenv(name, value.c_str(), 1);
  }
  ~ScopedVariable() {
    if (saved_) {
      ::setenv(name_, saved_->c_str(), 1);
    } else {
      ::unsetenv(name_);
    }
  }
  ScopedVariable(const ScopedVariable&) = delete;
  ScopedVariable& operator=(const ScopedVariable&) = delete;

 private:
  const char* name_;
  std::optional<std::string> saved_;
};

struct Roots {
  lab::Credential first;
  lab::Credential second;
  lab::Credential in_directory;  // only in the hashed directory
};

const Roots& roots() {
  static const Roots made = [] {
    const auto root = [](const char* name) {
      lab::CertSpec spec;
      spec.common_name = name;
      return lab::make_root(spec).value();
    };
    return Roots{root("default store first"), root("default store second"), root("default store directory")};
  }();
  return made;
}

// The certificates a store holds.
std::vector<X509*> certificates_in(X509_STORE* store) {
  std::vector<X509*> out;
  STACK_OF(X509_OBJECT)* objects = X509_STORE_get0_objects(store);
  for (int i = 0; i < sk_X509_OBJECT_num(objects); ++i) {
    if (X509* cert = X509_OBJECT_get0_X509(sk_X509_OBJECT_value(objects, i))) out.push_back(cert);
  }
  return out;
}

// X509_verify_cert of `cert` (a root: it verifies when the store finds it) against `store`.
bool verifies(X509_STORE* store, const lab::Credential& cert) {
  X509_STORE_CTX* ctx = X509_STORE_CTX_new();
  REQUIRE(ctx != nullptr);
  REQUIRE(X509_STORE_CTX_init(ctx, store, cert.cert.get(), nullptr) == 1);
  const bool ok = X509_verify_cert(ctx) == 1;
  X509_STORE_CTX_free(ctx);
  return ok;
}

// A store loaded our way and one loaded by X509_STORE_set_default_paths, under the same environment.
struct Stores {
  pki::X509StorePtr ours{X509_STORE_new()};
  pki::X509StorePtr openssl{X509_STORE_new()};
  Stores() {
    REQUIRE(pki::load_default_paths(ours.get()));
    REQUIRE(X509_STORE_set_default_paths(openssl.get()) == 1);
  }
};

struct Setup {
  lab::TempTree dir = lab::TempTree::create("tlsdoctor-default-store-").value();
  std::filesystem::path bundle = dir.path() / "bundle.pem";
  std::filesystem::path hashed = dir.path() / "hashed";
  Setup() {
    std::filesystem::create_directory(hashed);
    char name[16];
    std::snprintf(name, sizeof name, "%08lx.0", X509_NAME_hash_ex(X509_get_subject_name(roots().in_directory.cert.get()),
                                                                 nullptr, nullptr, nullptr));
    REQUIRE(lab::write_file(hashed / name, roots().in_directory.cert_pem()));
  }
};

}  // namespace

TEST_CASE("a bundle of plain certificates is decoded on demand, with the shared objects, as OpenSSL would load it",
          "[default_store]") {
  Setup setup;
  REQUIRE(lab::write_pem_bundle(setup.bundle, {&roots().first, &roots().second}));
  const ScopedVariable file("SSL_CERT_FILE", setup.bundle.string());
  const ScopedVariable dir("SSL_CERT_DIR", setup.hashed.string());
  Stores stores;

  // Nothing decoded yet; OpenSSL's loader has the whole file.
  CHECK(certificates_in(stores.ours.get()).empty());
  CHECK(certificates_in(stores.openssl.get()).size() == 2);
  for (X509_STORE* store : {stores.ours.get(), stores.openssl.get()}) CHECK(verifies(store, roots().first));
  // Asking for the first root's subject brought in that root alone: the very object every
  // other parse of these bytes gets.
  const auto after_first = certificates_in(stores.ours.get());
  REQUIRE(after_first.size() == 1);
  auto shared = pki::parse_x509(roots().first.cert_der());
  REQUIRE(shared);
  CHECK(after_first.front() == shared->get());
  // The hashed directory is looked up too, lazily, as OpenSSL's default paths are.
  for (X509_STORE* store : {stores.ours.get(), stores.openssl.get()}) {
    CHECK(verifies(store, roots().second));
    CHECK(verifies(store, roots().in_directory));
    CHECK(verifies(store, roots().first));  // again, from what the store holds now
  }
  CHECK(certificates_in(stores.ours.get()).size() == certificates_in(stores.openssl.get()).size());
}

TEST_CASE("every bundle certificate with the asked subject comes in, as with OpenSSL's loader", "[default_store]") {
  // A root re-issued with a new key under the same name, and a leaf from the new key only: the
  // verifier must see both roots to find the one that issued it.
  lab::CertSpec spec;
  spec.common_name = "default store re-keyed root";
  const auto old_root = lab::make_root(spec).value();
  const auto new_root = lab::make_root(spec).value();
  lab::CertSpec leaf_spec;
  leaf_spec.common_name = "rekeyed.tlsdoctor.test";
  const auto leaf = lab::make_leaf(leaf_spec, new_root).value();
  Setup setup;
  REQUIRE(lab::write_pem_bundle(setup.bundle, {&roots().first, &old_root, &new_root}));
  const ScopedVariable file("SSL_CERT_FILE", setup.bundle.string());
  const ScopedVariable dir("SSL_CERT_DIR", setup.hashed.string());
  Stores stores;
  for (X509_STORE* store : {stores.ours.get(), stores.openssl.get()}) CHECK(verifies(store, leaf));
  const auto ours = certificates_in(stores.ours.get());
  CHECK(ours.size() == 2);  // both roots of that name, not the unrelated first one
  auto shared_old = pki::parse_x509(old_root.cert_der());
  REQUIRE(shared_old);
  CHECK(std::find(ours.begin(), ours.end(), shared_old->get()) != ours.end());
}

TEST_CASE("a bundle with trust settings is left to OpenSSL's loader", "[default_store]") {
  Setup setup;
  // The second root as a TRUSTED CERTIFICATE that rejects every purpose.
  pki::X509Ptr distrusted(X509_dup(roots().second.cert.get()));
  REQUIRE(distrusted);
  REQUIRE(X509_add1_reject_object(distrusted.get(), OBJ_nid2obj(NID_anyExtendedKeyUsage)) == 1);
  pki::BioPtr bio(BIO_new(BIO_s_mem()));
  REQUIRE(PEM_write_bio_X509_AUX(bio.get(), distrusted.get()) == 1);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  REQUIRE(lab::write_file(setup.bundle, roots().first.cert_pem() + std::string(data, static_cast<std::size_t>(size))));
  const ScopedVariable file("SSL_CERT_FILE", setup.bundle.string());
  const ScopedVariable dir("SSL_CERT_DIR", setup.hashed.string());
  Stores stores;

  const auto ours = certificates_in(stores.ours.get());
  REQUIRE(ours.size() == 2);
  auto shared = pki::parse_x509(roots().first.cert_der());
  REQUIRE(shared);
  CHECK(std::find(ours.begin(), ours.end(), shared->get()) == ours.end());  // OpenSSL's own objects
  for (X509_STORE* store : {stores.ours.get(), stores.openssl.get()}) {
    CHECK(verifies(store, roots().first));
    CHECK(verifies(store, roots().in_directory));
  }
}

TEST_CASE("a damaged block, or no file at all, loads nothing from the file, as OpenSSL does", "[default_store]") {
  Setup setup;
  SECTION("a damaged block rejects the whole file") {
    std::string text = roots().first.cert_pem() + roots().second.cert_pem();
    const auto middle = text.find("-----BEGIN", 10) + 100;  // inside the second block's base64
    text.replace(middle, 4, "!!!!");
    REQUIRE(lab::write_file(setup.bundle, text));
  }
  SECTION("a block whose bytes are not a certificate's outline rejects the whole file") {
    // Valid base64 of a truncated certificate: OpenSSL's loader fails on it, and ours leaves
    // the file to that loader.
    const auto der = roots().second.cert_der();
    pki::BioPtr bio(BIO_new(BIO_s_mem()));
    REQUIRE(PEM_write_bio(bio.get(), PEM_STRING_X509, "", der.data(), static_cast<long>(der.size() / 2)) > 0);
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    REQUIRE(lab::write_file(setup.bundle, roots().first.cert_pem() + std::string(data, static_cast<std::size_t>(size))));
  }
  SECTION("no file") {}
  const ScopedVariable file("SSL_CERT_FILE", setup.bundle.string());
  const ScopedVariable dir("SSL_CERT_DIR", setup.hashed.string());
  Stores stores;
  CHECK(certificates_in(stores.ours.get()).empty());
  CHECK(certificates_in(stores.openssl.get()).empty());
  for (X509_STORE* store : {stores.ours.get(), stores.openssl.get()}) {
    CHECK_FALSE(verifies(store, roots().first));
    CHECK(verifies(store, roots().in_directory));  // the directory still answers
  }
}
