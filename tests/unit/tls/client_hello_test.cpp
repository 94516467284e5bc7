// Tests for the ClientHello parser on OpenSSL's own hellos, and on hand-made well-formed and malformed ones.
#include <openssl/ssl.h>

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <span>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "lab/memory_handshake.h"
#include "tls/client_hello.h"

namespace {

using tlsdoctor::lab::MemoryClientOptions;
using tlsdoctor::lab::MemoryHello;
using tlsdoctor::lab::MemoryServerOptions;
using tlsdoctor::lab::openssl_server_hellos;
using tlsdoctor::lab::openssl_client_hello;
using tlsdoctor::tls::ClientHello;
using tlsdoctor::tls::ClientHelloAssembler;
using tlsdoctor::tls::client_hello_from_records;
using tlsdoctor::tls::is_grease;
using tlsdoctor::tls::kMaxClientHelloBytes;
using tlsdoctor::tls::parse_client_hello;
using tlsdoctor::tls::parse_client_hello_records;
using tlsdoctor::tls::parse_server_hello;
using Bytes = std::vector<std::uint8_t>;

MemoryHello hello_from_openssl(const MemoryClientOptions& options) {
  auto hello = openssl_client_hello(options);
  REQUIRE(hello);
  return std::move(*hello);
}

ClientHello parsed(const Bytes& message) {
  auto hello = parse_client_hello(message);
  INFO((hello ? std::string() : hello.error()));
  REQUIRE(hello);
  return std::move(*hello);
}

bool has_extension(const ClientHello& hello, std::uint16_t type) {
  return std::any_of(hello.extensions.begin(), hello.extensions.end(), [&](const auto& e) { return e.type == type; });
}

void put16(Bytes& out, std::size_t v) {
  out.push_back(static_cast<std::uint8_t>(v >> 8));
  out.push_back(static_cast<std::uint8_t>(v));
}

// A hand-made ClientHello, serialised field by field so a test can lie in exactly one place.
struct HelloBuilder {
  std::uint16_t version = 0x0303;
  Bytes session_id = Bytes(32, 0x11);
  std::vector<std::uint16_t> ciphers = {0x1301, 0xc02f};
  Bytes compression = {0};
  std::vector<std::pair<std::uint16_t, Bytes>> extensions;
  bool with_extensions_block = true;

  Bytes body() const {
    Bytes b;
    put16(b, version);
    b.insert(b.end(), 32, 0x42);
    b.push_back(static_cast<std::uint8_t>(session_id.size()));
    b.insert(b.end(), session_id.begin(), session_id.end());
    put16(b, ciphers.size() * 2);
    for (auto c : ciphers) put16(b, c);
    b.push_back(static_cast<std::uint8_t>(compression.size()));
    b.insert(b.end(), compression.begin(), compression.end());
    if (with_extensions_block) {
      Bytes exts;
      for (const auto& [type, data] : extensions) {
        put16(exts, type);
        put16(exts, data.size());
        exts.insert(exts.end(), data.begin(), data.end());
      }
      put16(b, exts.size());
      b.insert(b.end(), exts.begin(), exts.end());
    }
    return b;
  }
  Bytes message() const {
    const Bytes b = body();
    Bytes m = {1, static_cast<std::uint8_t>(b.size() >> 16), static_cast<std::uint8_t>(b.size() >> 8),
               static_cast<std::uint8_t>(b.size())};
    m.insert(m.end(), b.begin(), b.end());
    return m;
  }
};

// Wraps a message into records of at most `chunk` bytes each.
Bytes into_records(const Bytes& message, std::size_t chunk) {
  Bytes records;
  for (std::size_t at = 0; at < message.size(); at += chunk) {
    const std::size_t n = std::min(chunk, message.size() - at);
    records.insert(records.end(), {22, 3, 1});
    put16(records, n);
    records.insert(records.end(), message.begin() + static_cast<std::ptrdiff_t>(at),
                   message.begin() + static_cast<std::ptrdiff_t>(at + n));
  }
  return records;
}

}  // namespace

TEST_CASE("an OpenSSL TLS 1.3 ClientHello parses to what the client was told to offer", "[client_hello]") {
  MemoryClientOptions options;
  options.sni = "lab.tlsdoctor.test";
  options.alpn = {"h2", "http/1.1"};
  options.groups = "P-256:X448:X25519";
  options.sigalgs = "ECDSA+SHA256:RSA-PSS+SHA256:ed25519";
  options.status_request = true;
  const auto hello_bytes = hello_from_openssl(options);
  const auto hello = parsed(hello_bytes.message);

  CHECK(hello.message_length == hello_bytes.message.size());
  CHECK(hello.legacy_version == 0x0303);
  CHECK(hello.session_id_length == 32);  // TLS 1.3 middlebox compatibility mode
  REQUIRE(hello.sni);
  CHECK(*hello.sni == "lab.tlsdoctor.test");
  CHECK(hello.alpn == std::vector<std::string>{"h2", "http/1.1"});
  CHECK(hello.supported_groups == std::vector<std::uint16_t>{23, 30, 29});
  CHECK(hello.signature_algorithms == std::vector<std::uint16_t>{0x0403, 0x0804, 0x0807});
  CHECK(hello.supported_versions.front() == 0x0304);
  CHECK(hello.status_request);
  // OpenSSL sends a key share for the first group only: an uncompressed P-256 point.
  REQUIRE(hello.key_shares.size() == 1);
  CHECK(hello.key_shares[0].group == 23);
  CHECK(hello.key_shares[0].key_bytes == 65);
  CHECK(std::find(hello.cipher_suites.begin(), hello.cipher_suites.end(), 0x1301) != hello.cipher_suites.end());
  CHECK(hello.compression_methods == std::vector<std::uint8_t>{0});
  // server_name data: list length (2), type (1), name length (2), the name.
  const auto sni_entry = std::find_if(hello.extensions.begin(), hello.extensions.end(),
                                      [](const auto& e) { return e.type == 0; });
  REQUIRE(sni_entry != hello.extensions.end());
  CHECK(sni_entry->length == 5 + std::string("lab.tlsdoctor.test").size());
}

TEST_CASE("a TLS 1.2-only OpenSSL ClientHello has no TLS 1.3 parts", "[client_hello]") {
  MemoryClientOptions options;
  options.max_version = TLS1_2_VERSION;
  const auto hello = parsed(hello_from_openssl(options).message);
  CHECK(hello.legacy_version == 0x0303);
  CHECK_FALSE(has_extension(hello, 43));
  CHECK_FALSE(has_extension(hello, 51));
  CHECK(hello.supported_versions.empty());
  CHECK(hello.key_shares.empty());
  CHECK_FALSE(hello.sni);
  CHECK_FALSE(has_extension(hello, 0));
  CHECK(hello.alpn.empty());
  CHECK(std::none_of(hello.cipher_suites.begin(), hello.cipher_suites.end(),
                     [](std::uint16_t c) { return (c >> 8) == 0x13; }));
  CHECK_FALSE(hello.ec_point_formats.empty());
}

TEST_CASE("a TLS 1.0-only OpenSSL ClientHello says 1.0 in legacy_version", "[client_hello]") {
  MemoryClientOptions options;
  options.min_version = TLS1_VERSION;
  options.max_version = TLS1_VERSION;
  options.cipher_list = "ALL:@SECLEVEL=0";
  const auto hello = parsed(hello_from_openssl(options).message);
  CHECK(hello.legacy_version == 0x0301);
  CHECK(hello.signature_algorithms.empty());  // a TLS 1.2 extension
}

TEST_CASE("records from the socket reassemble into the message the client's callback saw", "[client_hello]") {
  MemoryClientOptions options;
  options.sni = "lab.tlsdoctor.test";
  const auto hello = hello_from_openssl(options);
  auto message = client_hello_from_records(hello.records);
  REQUIRE(message);
  CHECK(*message == hello.message);
  CHECK(parse_client_hello_records(hello.records));

  SECTION("split into small records, and fed a byte at a time") {
    for (const std::size_t chunk : {1u, 7u, 100u}) {
      const Bytes records = into_records(hello.message, chunk);
      auto again = client_hello_from_records(records);
      REQUIRE(again);
      CHECK(*again == hello.message);
      ClientHelloAssembler assembler;
      for (std::size_t i = 0; i < records.size(); ++i) {
        auto done = assembler.feed(std::span(records).subspan(i, 1));
        REQUIRE(done);
        CHECK(*done == (i + 1 == records.size()));
      }
    }
  }
  SECTION("bytes after the ClientHello are left alone") {
    Bytes records = hello.records;
    records.insert(records.end(), {21, 3, 3, 0, 2, 2, 40});  // an alert record after it
    auto again = client_hello_from_records(records);
    REQUIRE(again);
    CHECK(*again == hello.message);
  }
}

TEST_CASE("every truncation of a real ClientHello fails cleanly", "[client_hello][malformed]") {
  MemoryClientOptions options;
  options.sni = "lab.tlsdoctor.test";
  options.alpn = {"h2"};
  const auto hello = hello_from_openssl(options);
  const ClientHello full = parsed(hello.message);
  const std::size_t extensions_start = hello.message.size() - 2 -
      std::accumulate(full.extensions.begin(), full.extensions.end(), std::size_t{0},
                      [](std::size_t sum, const auto& e) { return sum + 4 + e.length; });

  for (std::size_t n = 0; n < hello.message.size(); ++n) {
    const Bytes prefix(hello.message.begin(), hello.message.begin() + static_cast<std::ptrdiff_t>(n));
    auto as_is = parse_client_hello(prefix);
    REQUIRE_FALSE(as_is);
    CHECK(as_is.error().find("at offset") != std::string::npos);
    CHECK_FALSE(client_hello_from_records(Bytes(hello.records.begin(),
                                                hello.records.begin() + static_cast<std::ptrdiff_t>(n + 5))));
    // The same cut with the outer length made to agree, so the cut lands inside a field.
    if (n < 4) continue;
    Bytes cut = prefix;
    const std::size_t body = n - 4;
    cut[1] = static_cast<std::uint8_t>(body >> 16);
    cut[2] = static_cast<std::uint8_t>(body >> 8);
    cut[3] = static_cast<std::uint8_t>(body);
    auto inner = parse_client_hello(cut);
    if (n == extensions_start) {
      CHECK(inner);  // a ClientHello may end after compression_methods
    } else {
      INFO("cut at " << n);
      REQUIRE_FALSE(inner);
      CHECK(inner.error().find("at offset") != std::string::npos);
    }
  }
}

TEST_CASE("length fields that lie are reported with what and where", "[client_hello][malformed]") {
  HelloBuilder builder;
  builder.extensions = {{0, {0, 5, 0, 0, 2, 'a', 'b'}}, {10, {0, 2, 0, 29}}};
  REQUIRE(parse_client_hello(builder.message()));
  const std::size_t ciphers_at = 4 + 2 + 32 + 1 + 32;  // offset of the cipher_suites length

  SECTION("cipher_suites longer than the message") {
    Bytes m = builder.message();
    m[ciphers_at] = 0xff;
    m[ciphers_at + 1] = 0xfe;
    auto hello = parse_client_hello(m);
    REQUIRE_FALSE(hello);
    CHECK(hello.error() == "ClientHello: cipher_suites truncated at offset " + std::to_string(ciphers_at + 2) +
                               " (needs 65534 bytes, " + std::to_string(m.size() - ciphers_at - 2) + " left)");
  }
  SECTION("an odd cipher_suites length") {
    Bytes m = builder.message();
    m[ciphers_at + 1] = 3;
    CHECK_FALSE(parse_client_hello(m));
  }
  SECTION("an extension longer than the extensions block") {
    Bytes m = builder.message();
    const std::size_t first_extension = m.size() - 11 - 8;  // server_name: 4 + 7, supported_groups: 4 + 4
    REQUIRE(m[first_extension + 1] == 0);
    m[first_extension + 3] = 200;
    auto hello = parse_client_hello(m);
    REQUIRE_FALSE(hello);
    CHECK(hello.error().find("extension data truncated at offset " + std::to_string(first_extension + 4)) !=
          std::string::npos);
  }
  SECTION("a server_name list longer than its extension") {
    builder.extensions = {{0, {0, 9, 0, 0, 2, 'a', 'b'}}};
    auto hello = parse_client_hello(builder.message());
    REQUIRE_FALSE(hello);
    CHECK(hello.error().find("server_name list truncated") != std::string::npos);
  }
  SECTION("bytes left over inside an extension") {
    builder.extensions = {{10, {0, 2, 0, 29, 0}}};
    auto hello = parse_client_hello(builder.message());
    REQUIRE_FALSE(hello);
    CHECK(hello.error().find("left over after supported_groups list") != std::string::npos);
  }
  SECTION("a 16 MB handshake length is refused before anything is read") {
    const Bytes m = {1, 0xff, 0xff, 0xff, 3, 3};
    auto hello = parse_client_hello(m);
    REQUIRE_FALSE(hello);
    CHECK(hello.error() == "ClientHello: handshake length 16777215 exceeds the limit of 65536 bytes at offset 1");
    ClientHelloAssembler assembler;
    const Bytes records = {22, 3, 1, 0, 6, 1, 0xff, 0xff, 0xff, 3, 3};
    auto fed = assembler.feed(records);
    REQUIRE_FALSE(fed);
    CHECK(fed.error().find("exceeds the limit") != std::string::npos);
    CHECK(assembler.message().capacity() < 64);
  }
  SECTION("a session id longer than 32 bytes") {
    builder.session_id = Bytes(33, 1);
    CHECK_FALSE(parse_client_hello(builder.message()));
  }
  SECTION("the same extension twice") {
    builder.extensions = {{10, {0, 2, 0, 29}}, {10, {0, 2, 0, 23}}};
    auto hello = parse_client_hello(builder.message());
    REQUIRE_FALSE(hello);
    CHECK(hello.error().find("duplicate extension 10") != std::string::npos);
  }
  SECTION("bytes after the message, and the wrong handshake type") {
    Bytes m = builder.message();
    m.push_back(0);
    CHECK_FALSE(parse_client_hello(m));
    m.pop_back();
    m[0] = 2;
    CHECK_FALSE(parse_client_hello(m));
  }
}

TEST_CASE("records that cannot carry a ClientHello are refused", "[client_hello][malformed]") {
  const Bytes message = HelloBuilder{}.message();
  Bytes records = into_records(message, 1000);
  SECTION("not a handshake record") {
    records[0] = 23;
    auto r = client_hello_from_records(records);
    REQUIRE_FALSE(r);
    CHECK(r.error() == "ClientHello records: record type 23 is not handshake (22) at offset 0");
  }
  SECTION("an empty record") {
    const Bytes empty = {22, 3, 1, 0, 0};
    CHECK_FALSE(client_hello_from_records(empty));
  }
  SECTION("a record over 2^14 bytes") {
    const Bytes big = {22, 3, 1, 0x40, 0x01};
    CHECK_FALSE(client_hello_from_records(big));
  }
  SECTION("plain HTTP") {
    const std::string get = "GET / HTTP/1.1\r\n\r\n";
    CHECK_FALSE(client_hello_from_records(Bytes(get.begin(), get.end())));
  }
}

TEST_CASE("zero-length lists parse as empty lists", "[client_hello][malformed]") {
  HelloBuilder builder;
  builder.ciphers.clear();
  builder.compression.clear();
  builder.session_id.clear();
  builder.extensions = {{10, {0, 0}}, {13, {0, 0}}, {16, {0, 0}}, {43, {0}}, {51, {0, 0}}, {0, {0, 0}}};
  const auto hello = parsed(builder.message());
  CHECK(hello.cipher_suites.empty());
  CHECK(hello.compression_methods.empty());
  CHECK(hello.supported_groups.empty());
  CHECK(hello.signature_algorithms.empty());
  CHECK(hello.alpn.empty());
  CHECK(hello.supported_versions.empty());
  CHECK(hello.key_shares.empty());
  CHECK_FALSE(hello.sni);
  CHECK(hello.extensions.size() == 6);

  builder.extensions.clear();
  CHECK(parsed(builder.message()).extensions.empty());
  builder.with_extensions_block = false;
  CHECK(parsed(builder.message()).extensions.empty());
}

TEST_CASE("GREASE values are kept in the parse, in place", "[client_hello]") {
  HelloBuilder builder;
  builder.ciphers = {0x0a0a, 0x1301};
  builder.extensions = {{0x1a1a, {}}, {10, {0, 4, 0x2a, 0x2a, 0, 29}}, {43, {4, 0x3a, 0x3a, 3, 4}},
                        {51, {0, 9, 0x2a, 0x2a, 0, 1, 0, 0, 29, 0, 0}}, {0xfafa, {0}}};
  const auto hello = parsed(builder.message());
  CHECK(hello.cipher_suites == std::vector<std::uint16_t>{0x0a0a, 0x1301});
  CHECK(hello.extensions.front().type == 0x1a1a);
  CHECK(hello.extensions.back().type == 0xfafa);
  CHECK(hello.supported_groups == std::vector<std::uint16_t>{0x2a2a, 29});
  CHECK(hello.supported_versions == std::vector<std::uint16_t>{0x3a3a, 0x0304});
  REQUIRE(hello.key_shares.size() == 2);
  CHECK(hello.key_shares[0].key_bytes == 1);
  CHECK(hello.key_shares[1].key_bytes == 0);
}

TEST_CASE("GREASE is exactly the sixteen RFC 8701 values", "[client_hello]") {
  int count = 0;
  for (std::uint32_t v = 0; v <= 0xffff; ++v) {
    if (is_grease(static_cast<std::uint16_t>(v))) ++count;
  }
  CHECK(count == 16);
  CHECK(is_grease(0x0a0a));
  CHECK(is_grease(0xfafa));
  CHECK_FALSE(is_grease(0x0a1a));
  CHECK_FALSE(is_grease(0x0b0b));
}

TEST_CASE("mutated ClientHellos never read out of bounds", "[client_hello][malformed]") {
  MemoryClientOptions options;
  options.sni = "lab.tlsdoctor.test";
  options.alpn = {"h2", "http/1.1"};
  const auto hello = hello_from_openssl(options);
  // A fixed linear congruential sequence: the same mutations every run, no seed to chase.
  std::uint32_t state = 12345;
  auto next = [&state] { return state = state * 1103515245u + 12345u; };
  int parsed_ok = 0;
  for (int i = 0; i < 3000; ++i) {
    Bytes m = hello.message;
    const int flips = 1 + static_cast<int>(next() % 4);
    for (int f = 0; f < flips; ++f) m[next() % m.size()] = static_cast<std::uint8_t>(next() >> 16);
    if (parse_client_hello(m)) ++parsed_ok;
    (void)parse_client_hello_records(into_records(m, 1 + next() % 300));
  }
  CHECK(parsed_ok > 0);  // some mutations only touch the random or key bytes
  CHECK(kMaxClientHelloBytes == 64 * 1024);
}

TEST_CASE("ServerHellos from OpenSSL parse to what was negotiated", "[client_hello][server_hello]") {
  MemoryClientOptions client;
  MemoryServerOptions server;
  client.groups = "X25519:P-256";

  SECTION("TLS 1.3") {
    // ALPN is answered in EncryptedExtensions in TLS 1.3, so the ServerHello never has it.
    client.alpn = {"h2", "http/1.1"};
    server.alpn_accept = {"http/1.1"};
    auto hellos = openssl_server_hellos(client, server);
    REQUIRE(hellos);
    REQUIRE(hellos->size() == 1);
    auto hello = parse_server_hello(hellos->front());
    REQUIRE(hello);
    CHECK(hello->legacy_version == 0x0303);
    CHECK(hello->selected_version == std::optional<std::uint16_t>(0x0304));
    CHECK(hello->key_share_group == std::optional<std::uint16_t>(29));
    CHECK_FALSE(hello->alpn);
    CHECK((hello->cipher_suite >> 8) == 0x13);
    CHECK_FALSE(hello->hello_retry_request);
  }
  SECTION("a HelloRetryRequest names the group the server wants") {
    server.groups = "P-256";
    auto hellos = openssl_server_hellos(client, server);
    REQUIRE(hellos);
    REQUIRE(hellos->size() == 2);
    auto retry = parse_server_hello(hellos->front());
    auto hello = parse_server_hello(hellos->back());
    REQUIRE(retry);
    REQUIRE(hello);
    CHECK(retry->hello_retry_request);
    CHECK(retry->key_share_group == std::optional<std::uint16_t>(23));
    CHECK_FALSE(hello->hello_retry_request);
    CHECK(hello->key_share_group == std::optional<std::uint16_t>(23));
  }
  SECTION("TLS 1.2 has no supported_versions or key_share, and answers ALPN in the ServerHello") {
    server.max_version = TLS1_2_VERSION;
    client.alpn = {"h2", "http/1.1"};
    server.alpn_accept = {"http/1.1"};
    auto hellos = openssl_server_hellos(client, server);
    REQUIRE(hellos);
    REQUIRE(hellos->size() == 1);
    auto hello = parse_server_hello(hellos->front());
    REQUIRE(hello);
    CHECK(hello->legacy_version == 0x0303);
    CHECK_FALSE(hello->selected_version);
    CHECK_FALSE(hello->key_share_group);
    CHECK(hello->alpn == std::optional<std::string>("http/1.1"));
    CHECK_FALSE(hello->extensions.empty());

    for (std::size_t n = 0; n < hellos->front().size(); ++n) {
      const Bytes prefix(hellos->front().begin(), hellos->front().begin() + static_cast<std::ptrdiff_t>(n));
      auto cut = parse_server_hello(prefix);
      REQUIRE_FALSE(cut);
      CHECK(cut.error().rfind("ServerHello: ", 0) == 0);
    }
  }
}
