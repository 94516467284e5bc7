// Tests for the IANA names of TLS code points: against OpenSSL's own names, and on what real clients send.
#include <openssl/ssl.h>

#include <algorithm>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "lab/memory_handshake.h"
#include "tls/client_hello.h"
#include "tls/openssl_handles.h"
#include "tls/tls_names.h"

namespace {

using namespace tlsdoctor::tls;

bool named(const std::string& name) { return name.rfind("0x", 0) != 0; }

}  // namespace

TEST_CASE("every cipher suite OpenSSL knows has its IANA name", "[tls_names]") {
  SslCtxPtr ctx(SSL_CTX_new(TLS_method()));
  REQUIRE(ctx);
  SSL_CTX_set_security_level(ctx.get(), 0);
  REQUIRE(SSL_CTX_set_cipher_list(ctx.get(), "ALL:COMPLEMENTOFALL:@SECLEVEL=0") == 1);
  REQUIRE(SSL_CTX_set_ciphersuites(ctx.get(), "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:"
                                              "TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_CCM_SHA256:"
                                              "TLS_AES_128_CCM_8_SHA256") == 1);
  STACK_OF(SSL_CIPHER)* ciphers = SSL_CTX_get_ciphers(ctx.get());
  REQUIRE(sk_SSL_CIPHER_num(ciphers) > 100);
  for (int i = 0; i < sk_SSL_CIPHER_num(ciphers); ++i) {
    const SSL_CIPHER* cipher = sk_SSL_CIPHER_value(ciphers, i);
    const auto id = static_cast<std::uint16_t>(SSL_CIPHER_get_protocol_id(cipher));
    INFO(SSL_CIPHER_get_name(cipher));
    CHECK(cipher_suite_name(id) == SSL_CIPHER_standard_name(cipher));
  }
}

TEST_CASE("groups and signature schemes OpenSSL encodes get their IANA names", "[tls_names]") {
  // OpenSSL writes the code points; the names it was asked for by must come back.
  tlsdoctor::lab::MemoryClientOptions options;
  options.groups = "P-256:P-384:P-521:X25519:X448:ffdhe2048:ffdhe3072:ffdhe4096:ffdhe6144:ffdhe8192:"
                   "brainpoolP256r1:brainpoolP384r1:brainpoolP512r1:secp256k1";
  options.sigalgs = "ECDSA+SHA256:ECDSA+SHA384:ECDSA+SHA512:ECDSA+SHA1:RSA+SHA256:RSA+SHA384:RSA+SHA512:"
                    "RSA+SHA1:RSA-PSS+SHA256:RSA-PSS+SHA384:RSA-PSS+SHA512:rsa_pss_pss_sha256:"
                    "rsa_pss_pss_sha384:rsa_pss_pss_sha512:ed25519:ed448:ECDSA+SHA224:RSA+SHA224";
  options.min_version = TLS1_2_VERSION;
  options.cipher_list = "ALL:@SECLEVEL=0";  // level 1 and up drop the SHA-1 schemes
  auto bytes = tlsdoctor::lab::openssl_client_hello(options);
  REQUIRE(bytes);
  auto hello = parse_client_hello(bytes->message);
  REQUIRE(hello);
  std::vector<std::string> groups;
  for (const auto id : hello->supported_groups) groups.push_back(group_name(id));
  // OpenSSL leaves out groups its providers lack (brainpool and secp256k1 in some builds).
  const std::vector<std::string> expected_groups = {
      "secp256r1", "secp384r1", "secp521r1", "x25519", "x448", "ffdhe2048", "ffdhe3072", "ffdhe4096",
      "ffdhe6144", "ffdhe8192", "brainpoolP256r1", "brainpoolP384r1", "brainpoolP512r1", "secp256k1"};
  REQUIRE(groups.size() >= 10);
  CHECK(std::equal(groups.begin(), groups.end(), expected_groups.begin()));
  std::vector<std::string> schemes;
  for (const auto id : hello->signature_algorithms) schemes.push_back(signature_scheme_name(id));
  CHECK(schemes == std::vector<std::string>{
                       "ecdsa_secp256r1_sha256", "ecdsa_secp384r1_sha384", "ecdsa_secp521r1_sha512", "ecdsa_sha1",
                       "rsa_pkcs1_sha256", "rsa_pkcs1_sha384", "rsa_pkcs1_sha512", "rsa_pkcs1_sha1",
                       "rsa_pss_rsae_sha256", "rsa_pss_rsae_sha384", "rsa_pss_rsae_sha512", "rsa_pss_pss_sha256",
                       "rsa_pss_pss_sha384", "rsa_pss_pss_sha512", "ed25519", "ed448", "ecdsa_sha224",
                       "rsa_pkcs1_sha224"});
}

TEST_CASE("names read the way the IANA registries spell them", "[tls_names]") {
  CHECK(cipher_suite_name(0x1301) == "TLS_AES_128_GCM_SHA256");
  CHECK(cipher_suite_name(0x00ff) == "TLS_EMPTY_RENEGOTIATION_INFO_SCSV");
  CHECK(cipher_suite_name(0x5600) == "TLS_FALLBACK_SCSV");
  CHECK(cipher_suite_name(0x000a) == "TLS_RSA_WITH_3DES_EDE_CBC_SHA");
  CHECK(group_name(29) == "x25519");
  CHECK(group_name(23) == "secp256r1");
  CHECK(group_name(0x11ec) == "X25519MLKEM768");
  CHECK(group_name(0x11eb) == "SecP256r1MLKEM768");
  CHECK(group_name(0x11ed) == "SecP384r1MLKEM1024");
  CHECK(group_name(0x6399) == "X25519Kyber768Draft00");
  CHECK(group_name(0x0201) == "MLKEM768");
  CHECK(signature_scheme_name(0x0403) == "ecdsa_secp256r1_sha256");
  CHECK(signature_scheme_name(0x0804) == "rsa_pss_rsae_sha256");
  CHECK(signature_scheme_name(0x0807) == "ed25519");
  CHECK(extension_name(0) == "server_name");
  CHECK(extension_name(16) == "application_layer_protocol_negotiation");
  CHECK(extension_name(0xfe0d) == "encrypted_client_hello");
  CHECK(extension_name(0xff01) == "renegotiation_info");
  CHECK(version_name(0x0304) == "TLS 1.3");
  CHECK(version_name(0x0301) == "TLS 1.0");
  CHECK(version_name(0x0300) == "SSL 3.0");
  CHECK(version_name(0x7f1c) == "0x7f1c");
}

TEST_CASE("GREASE and unassigned values", "[tls_names]") {
  CHECK(cipher_suite_name(0x3a3a) == "GREASE");
  CHECK(group_name(0xfafa) == "GREASE");
  CHECK(extension_name(0x0a0a) == "GREASE");
  CHECK(version_name(0x9a9a) == "GREASE");
  CHECK(cipher_suite_name(0x1234) == "0x1234");
  CHECK(extension_name(0xabcd) == "0xabcd");
  CHECK(signature_scheme_name(0xffff) == "0xffff");
}

TEST_CASE("everything an OpenSSL client offers at security level 0 has a name", "[tls_names]") {
  tlsdoctor::lab::MemoryClientOptions options;
  options.min_version = TLS1_VERSION;
  options.cipher_list = "ALL:COMPLEMENTOFALL:@SECLEVEL=0";
  options.sni = "lab.tlsdoctor.test";
  options.alpn = {"h2"};
  options.status_request = true;
  options.groups = "X25519:P-256:P-384:P-521:X448:ffdhe2048:ffdhe3072:ffdhe4096:ffdhe6144:ffdhe8192";
  auto bytes = tlsdoctor::lab::openssl_client_hello(options);
  REQUIRE(bytes);
  auto hello = parse_client_hello(bytes->message);
  REQUIRE(hello);
  for (const auto id : hello->cipher_suites) CHECK(named(cipher_suite_name(id)));
  for (const auto id : hello->supported_groups) CHECK(named(group_name(id)));
  for (const auto id : hello->signature_algorithms) CHECK(named(signature_scheme_name(id)));
  for (const auto& e : hello->extensions) CHECK(named(extension_name(e.type)));
  for (const auto id : hello->supported_versions) CHECK(named(version_name(id)));
}
