// Tests for the probe's OpenSSL client: settings applied or refused by name, ALPN wire form, and ClientHello padding.
#include <catch2/catch.hpp>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <optional>
#include <string>

#include "tls/client_context.h"
#include "tls/large_hello.h"
#include "tls/probe_spec.h"

namespace {

using tlsdoctor::tls::ProbeSpec;
using tlsdoctor::tls::SslCtxPtr;

int add_nothing(SSL*, unsigned int, unsigned int, const unsigned char**, size_t*, X509*, size_t, int*, void*) {
  return 0;
}

ProbeSpec lab_spec() {
  ProbeSpec spec;
  spec.host = "lab.tlsdoctor.test";
  spec.port = 443;
  return spec;
}

std::size_t hello_size(tlsdoctor::tls::ClientContext& client) {
  const auto size = tlsdoctor::tls::measure_client_hello(client.ssl.get());
  REQUIRE(size);
  return *size;
}

}  // namespace

TEST_CASE("client_context: OpenSSL refuses a custom extension of type 21, so padding needs another type",
          "[client_context]") {
  SslCtxPtr ctx(SSL_CTX_new(TLS_client_method()));
  REQUIRE(ctx);
  constexpr unsigned int kRfc7685Padding = 21;
  CHECK(SSL_CTX_add_custom_ext(ctx.get(), kRfc7685Padding, SSL_EXT_CLIENT_HELLO, add_nothing, nullptr, nullptr,
                               nullptr, nullptr) == 0);
  CHECK(SSL_CTX_add_custom_ext(ctx.get(), tlsdoctor::tls::kPaddingExtensionType, SSL_EXT_CLIENT_HELLO, add_nothing,
                               nullptr, nullptr, nullptr, nullptr) == 1);
  ERR_clear_error();
}

TEST_CASE("client_context: ALPN wire form", "[client_context]") {
  const auto wire = tlsdoctor::tls::alpn_wire_format({"h2", "http/1.1"});
  REQUIRE(wire);
  CHECK(*wire == std::string("\x02h2\x08http/1.1"));
  CHECK_FALSE(tlsdoctor::tls::alpn_wire_format({""}));
  CHECK_FALSE(tlsdoctor::tls::alpn_wire_format({std::string(256, 'a')}));
  CHECK(tlsdoctor::tls::alpn_wire_format({})->empty());
}

TEST_CASE("client_context: settings OpenSSL refuses are named", "[client_context]") {
  auto spec = lab_spec();
  spec.hello.cipher_list = "NO-SUCH-CIPHER";
  auto client = tlsdoctor::tls::make_client_context(spec);
  REQUIRE_FALSE(client);
  CHECK_THAT(client.error(), Catch::Contains("NO-SUCH-CIPHER"));

  spec = lab_spec();
  spec.hello.groups = "no-such-group";
  client = tlsdoctor::tls::make_client_context(spec);
  REQUIRE_FALSE(client);
  CHECK_THAT(client.error(), Catch::Contains("no-such-group"));

  spec = lab_spec();
  spec.hello.alpn = {""};
  CHECK_FALSE(tlsdoctor::tls::make_client_context(spec));
}

TEST_CASE("client_context: versions, level and verification mode are set as the spec says", "[client_context]") {
  auto spec = lab_spec();
  spec.hello.min_version = tlsdoctor::tls::TlsVersion::Tls1_0;
  spec.hello.max_version = tlsdoctor::tls::TlsVersion::Tls1_1;
  spec.hello.security_level = 0;
  auto client = tlsdoctor::tls::make_client_context(spec);
  REQUIRE(client);
  CHECK(SSL_get_min_proto_version(client->ssl.get()) == TLS1_VERSION);
  CHECK(SSL_get_max_proto_version(client->ssl.get()) == TLS1_1_VERSION);
  CHECK(SSL_get_security_level(client->ssl.get()) == 0);
  CHECK(SSL_get_verify_mode(client->ssl.get()) == SSL_VERIFY_NONE);
  CHECK_FALSE(client->padding);
}

TEST_CASE("client_context: padding brings the ClientHello to the target size", "[client_context]") {
  auto spec = lab_spec();
  auto plain = tlsdoctor::tls::make_client_context(spec);
  REQUIRE(plain);
  const std::size_t unpadded = hello_size(*plain);
  CHECK(unpadded < 1600);

  spec.hello.pad_to = 1600;
  auto padded = tlsdoctor::tls::make_client_context(spec);
  REQUIRE(padded);
  REQUIRE(padded->padding);
  REQUIRE(padded->padding->data_length);
  const std::size_t size = hello_size(*padded);
  CHECK(size >= 1600);
  CHECK(size < 1604);  // at most an empty extension's header over

  // A target below the natural size leaves the extension out.
  spec.hello.pad_to = 100;
  auto small = tlsdoctor::tls::make_client_context(spec);
  REQUIRE(small);
  REQUIRE(small->padding);
  CHECK_FALSE(small->padding->data_length);
  CHECK(hello_size(*small) == unpadded);

  // The cap: one TLS record.
  spec.hello.pad_to = 1 << 20;
  auto huge = tlsdoctor::tls::make_client_context(spec);
  REQUIRE(huge);
  CHECK(hello_size(*huge) <= tlsdoctor::tls::kMaxPaddedHelloBytes + 3);
}

TEST_CASE("client_context: the padding size holds for TLS 1.2-only hellos and a long SNI", "[client_context]") {
  auto spec = lab_spec();
  spec.hello.max_version = tlsdoctor::tls::TlsVersion::Tls1_2;
  spec.sni_mode = tlsdoctor::tls::SniMode::Name;
  spec.sni_name = std::string(60, 'a') + ".lab.tlsdoctor.test";
  spec.hello.alpn = {"h2", "http/1.1"};
  spec.hello.pad_to = 1600;
  auto padded = tlsdoctor::tls::make_client_context(spec);
  REQUIRE(padded);
  const std::size_t size = hello_size(*padded);
  CHECK(size >= 1600);
  CHECK(size < 1604);
}

TEST_CASE("client_context: hybrid post-quantum groups are offered only where OpenSSL has them", "[client_context]") {
  const auto hybrid = tlsdoctor::tls::hybrid_groups_list();
  SslCtxPtr ctx(SSL_CTX_new(TLS_client_method()));
  REQUIRE(ctx);
  const bool accepted = SSL_CTX_set1_groups_list(ctx.get(), tlsdoctor::tls::kHybridGroupsList) == 1;
  ERR_clear_error();
  CHECK(hybrid.has_value() == accepted);
  if (!hybrid) WARN("this OpenSSL (" << OpenSSL_version(OPENSSL_VERSION) << ") has no hybrid groups: padding only");
}

TEST_CASE("client_context: a batch's cache shares one SSL_CTX per settings, never for padding", "[client_context]") {
  tlsdoctor::tls::ClientContextCache cache;
  auto spec = lab_spec();
  auto first = tlsdoctor::tls::make_client_context(spec, &cache);
  auto second_spec = lab_spec();
  second_spec.sni_mode = tlsdoctor::tls::SniMode::Name;  // per-SSL: does not split the cache
  second_spec.sni_name = "other.tlsdoctor.test";
  auto second = tlsdoctor::tls::make_client_context(second_spec, &cache);
  REQUIRE(first);
  REQUIRE(second);
  CHECK(first->ctx.get() == second->ctx.get());
  CHECK(first->ssl.get() != second->ssl.get());
  CHECK(SSL_get_servername(second->ssl.get(), TLSEXT_NAMETYPE_host_name) == std::string("other.tlsdoctor.test"));

  auto pinned = lab_spec();
  pinned.hello.max_version = tlsdoctor::tls::TlsVersion::Tls1_2;
  auto third = tlsdoctor::tls::make_client_context(pinned, &cache);
  REQUIRE(third);
  CHECK(third->ctx.get() != first->ctx.get());
  CHECK(SSL_get_max_proto_version(third->ssl.get()) == TLS1_2_VERSION);

  auto padded_spec = lab_spec();
  padded_spec.hello.pad_to = 1600;
  auto padded = tlsdoctor::tls::make_client_context(padded_spec, &cache);
  auto padded_again = tlsdoctor::tls::make_client_context(padded_spec, &cache);
  REQUIRE(padded);
  REQUIRE(padded_again);
  CHECK(padded->ctx.get() != first->ctx.get());
  CHECK(padded->ctx.get() != padded_again->ctx.get());

  // A context outlives the cache for the probes still holding it.
  std::optional<tlsdoctor::tls::ClientContextCache> short_lived;
  short_lived.emplace();
  auto kept = tlsdoctor::tls::make_client_context(pinned, &*short_lived);
  REQUIRE(kept);
  short_lived.reset();
  CHECK(SSL_CTX_get_max_proto_version(kept->ctx.get()) == TLS1_2_VERSION);
  CHECK(SSL_get_max_proto_version(kept->ssl.get()) == TLS1_2_VERSION);
}

TEST_CASE("client_context: settings OpenSSL refuses are refused through the cache too", "[client_context]") {
  tlsdoctor::tls::ClientContextCache cache;
  auto spec = lab_spec();
  spec.hello.cipher_list = "NO-SUCH-CIPHER";
  const auto refused = tlsdoctor::tls::make_client_context(spec, &cache);
  REQUIRE_FALSE(refused);
  CHECK_THAT(refused.error(), Catch::Contains("NO-SUCH-CIPHER"));
  CHECK_FALSE(tlsdoctor::tls::make_client_context(spec, &cache));  // a failure is not kept as a context
}
