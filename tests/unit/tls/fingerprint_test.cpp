// Tests for JA3 and JA4: published example values, hand-checked edge cases, and tshark's JA3 of real clients.
#include <openssl/ssl.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "lab/background_process.h"
#include "lab/hello_capture.h"
#include "lab/memory_handshake.h"
#include "lab/subprocess.h"
#include "lab/temp_tree.h"
#include "tls/client_hello.h"
#include "tls/fingerprint.h"

namespace {

using namespace std::chrono_literals;
using tlsdoctor::tls::ClientHello;
using tlsdoctor::tls::ExtensionEntry;
using tlsdoctor::tls::ja3_hash;
using tlsdoctor::tls::ja3_string;
using tlsdoctor::tls::ja4;

std::vector<std::uint16_t> hex_list(const std::string& text) {
  std::vector<std::uint16_t> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) out.push_back(static_cast<std::uint16_t>(std::stoul(item, nullptr, 16)));
  return out;
}

// A ClientHello with the lists of a JA4_ro string ("prefix_ciphers_extensions_sigalgs", original
// order, GREASE already left out); TLS 1.3 when supported_versions (002b) is among them.
ClientHello from_ja4_ro(const std::string& ro, std::vector<std::string> alpn) {
  std::vector<std::string> parts;
  std::stringstream in(ro);
  std::string part;
  while (std::getline(in, part, '_')) parts.push_back(part);
  REQUIRE(parts.size() >= 3);
  ClientHello hello;
  hello.legacy_version = 0x0303;
  hello.cipher_suites = hex_list(parts[1]);
  for (const auto type : hex_list(parts[2])) hello.extensions.push_back(ExtensionEntry{type, 0});
  if (parts.size() > 3) hello.signature_algorithms = hex_list(parts[3]);
  for (const auto& e : hello.extensions) {
    if (e.type == 0x002b) hello.supported_versions = {0x0304, 0x0303};
  }
  hello.alpn = std::move(alpn);
  return hello;
}

// FoxIO's example in technical_details/JA4.md of github.com/FoxIO-LLC/ja4 (its JA4_ro).
const std::string kFoxioExampleRo =
    "t13d1516h2_1301,1302,1303,c02b,c02f,c02c,c030,cca9,cca8,c013,c014,009c,009d,002f,0035_"
    "001b,0000,0033,0010,4469,0017,002d,000d,0005,0023,0012,002b,ff01,000b,000a,0015_"
    "0403,0804,0401,0503,0805,0501,0806,0601";

}  // namespace

TEST_CASE("JA4 gives FoxIO's published values", "[fingerprint]") {
  SECTION("the specification's example, and the same without signature algorithms") {
    ClientHello hello = from_ja4_ro(kFoxioExampleRo, {"h2"});
    CHECK(ja4(hello) == "t13d1516h2_8daaf6152771_e5627efa2ab1");
    hello.signature_algorithms.clear();  // JA4.md: "the string ends without an underscore"
    CHECK(ja4(hello) == "t13d1516h2_8daaf6152771_6d807ffa2a79");
  }
  SECTION("GREASE anywhere changes nothing") {
    ClientHello hello = from_ja4_ro(kFoxioExampleRo, {"h2"});
    hello.cipher_suites.insert(hello.cipher_suites.begin(), 0x2a2a);
    hello.extensions.insert(hello.extensions.begin(), ExtensionEntry{0x8a8a, 0});
    hello.extensions.push_back(ExtensionEntry{0xfafa, 1});
    hello.supported_versions.insert(hello.supported_versions.begin(), 0x7a7a);
    hello.signature_algorithms.insert(hello.signature_algorithms.begin(), 0x0a0a);
    CHECK(ja4(hello) == "t13d1516h2_8daaf6152771_e5627efa2ab1");
  }
  // python/test/testdata/latest.pcapng.json and tls-sni.pcapng.json in the same repository.
  SECTION("a TLS 1.2 client without ALPN") {
    const ClientHello hello = from_ja4_ro(
        "t12d190800_c02c,c02b,c030,c02f,c024,c023,c028,c027,c00a,c009,c014,c013,009d,009c,003d,003c,0035,002f,000a_"
        "0000,0005,000a,000b,000d,0023,0017,ff01_0804,0805,0806,0401,0501,0201,0403,0503,0203,0202,0601,0603",
        {});
    CHECK(ja4(hello) == "t12d190800_d83cc789557e_7af1ed941c26");
  }
  SECTION("a client offering a pre-shared key") {
    const ClientHello hello = from_ja4_ro(
        "t13d1516h2_1301,1302,1303,c02b,c02f,c02c,c030,cca9,cca8,c013,c014,009c,009d,002f,0035_"
        "000d,0010,0000,000b,0023,4469,ff01,0033,000a,002d,002b,0005,0017,0012,001b,0029_"
        "0403,0804,0401,0503,0805,0501,0806,0601",
        {"h2", "http/1.1"});
    CHECK(ja4(hello) == "t13d1516h2_8daaf6152771_9b887d9acb53");
  }
  SECTION("a TLS 1.3 client without ALPN") {
    const ClientHello hello = from_ja4_ro(
        "t13d151400_1301,1302,1303,c02b,c02f,c02c,c030,cca9,cca8,c013,c014,009c,009d,002f,0035_"
        "0033,002b,001b,0000,0012,002d,000d,000a,0005,0023,0017,ff01,000b,0015_"
        "0403,0804,0401,0503,0805,0501,0806,0601",
        {});
    CHECK(ja4(hello) == "t13d151400_8daaf6152771_de4a06bb82e3");
  }
}

TEST_CASE("JA4 edge cases follow the specification's rules", "[fingerprint]") {
  ClientHello hello = from_ja4_ro(kFoxioExampleRo, {"h2"});
  SECTION("ALPN: first and last character, or hex digits when either is not alphanumeric") {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"http/1.1", "h1"}, {"h", "hh"}, {"\xab", "ab"}, {"\xab\xcd", "ad"}, {"0\xab", "3b"},
        {"01\xab\xcd", "3d"}, {"0\xab\xcd" "1", "01"}, {"", "00"}};
    for (const auto& [value, expected] : cases) {
      hello.alpn = {value, "h2"};
      CHECK(ja4(hello).substr(8, 2) == expected);
    }
    hello.alpn.clear();
    CHECK(ja4(hello).substr(8, 2) == "00");
  }
  SECTION("version: highest supported_versions entry, else legacy_version") {
    hello.supported_versions = {0x0303, 0x0304, 0x0302};
    CHECK(ja4(hello).substr(0, 3) == "t13");
    hello.extensions.erase(std::remove_if(hello.extensions.begin(), hello.extensions.end(),
                                          [](const ExtensionEntry& e) { return e.type == 0x002b; }),
                           hello.extensions.end());
    hello.legacy_version = 0x0301;
    CHECK(ja4(hello).substr(0, 3) == "t10");
    hello.legacy_version = 0x0300;
    CHECK(ja4(hello).substr(0, 3) == "ts3");
    hello.legacy_version = 0x7f1c;
    CHECK(ja4(hello).substr(0, 3) == "t00");
  }
  SECTION("no SNI, QUIC, counts over 99") {
    hello.extensions.erase(hello.extensions.begin() + 1);  // 0000
    hello.extensions.push_back(ExtensionEntry{0x0039, 0});
    hello.cipher_suites.assign(150, 0x002f);
    CHECK(ja4(hello).substr(0, 8) == "q13i9916");
  }
  SECTION("empty lists hash to twelve zeros") {
    hello.cipher_suites = {0x0a0a};
    hello.extensions = {ExtensionEntry{0x0000, 0}, ExtensionEntry{0x0010, 0}};
    hello.signature_algorithms.clear();
    hello.supported_versions.clear();
    CHECK(ja4(hello) == "t12d0002h2_000000000000_000000000000");
  }
}

TEST_CASE("JA3 gives Salesforce's published values", "[fingerprint]") {
  // The examples in README.md of github.com/salesforce/ja3.
  ClientHello hello;
  hello.legacy_version = 769;
  hello.cipher_suites = {47, 53, 5, 10, 49161, 49162, 49171, 49172, 50, 56, 19, 4};
  hello.extensions = {{0, 0}, {10, 0}, {11, 0}};
  hello.supported_groups = {23, 24, 25};
  hello.ec_point_formats = {0};
  CHECK(ja3_string(hello) == "769,47-53-5-10-49161-49162-49171-49172-50-56-19-4,0-10-11,23-24-25,0");
  CHECK(ja3_hash(hello) == "ada70206e40642a3e4461f35503241d5");

  ClientHello bare;
  bare.legacy_version = 769;
  bare.cipher_suites = {4, 5, 10, 9, 100, 98, 3, 6, 19, 18, 99};
  CHECK(ja3_string(bare) == "769,4-5-10-9-100-98-3-6-19-18-99,,,");
  CHECK(ja3_hash(bare) == "de350869b8c85de67a350c8d186f11e6");
}

TEST_CASE("JA3 and JA4 of one browser hello agree with a published capture of it", "[fingerprint]") {
  // A Chrome 143 hello as browserleaks.com reported it (ja3_text, ja3_hash, ja4, ja4_ro), quoted
  // in tls.md of github.com/service0427/v2_cp_app; GREASE added back where Chrome puts it.
  ClientHello hello = from_ja4_ro(
      "t13d1516h2_1301,1302,1303,c02b,c02f,c02c,c030,cca9,cca8,c013,c014,009c,009d,002f,0035_"
      "002d,0033,0010,fe0d,0017,44cd,0000,000b,000a,002b,ff01,0023,0012,0005,000d,001b_"
      "0403,0804,0401,0503,0805,0501,0806,0601",
      {"h2", "http/1.1"});
  hello.cipher_suites.insert(hello.cipher_suites.begin(), 0x9a9a);
  hello.extensions.insert(hello.extensions.begin(), ExtensionEntry{0xbaba, 0});
  hello.extensions.push_back(ExtensionEntry{0x3a3a, 1});
  hello.supported_groups = {0x5a5a, 4588, 29, 23, 24};
  hello.ec_point_formats = {0};
  CHECK(ja3_string(hello) ==
        "771,4865-4866-4867-49195-49199-49196-49200-52393-52392-49171-49172-156-157-47-53,"
        "45-51-16-65037-23-17613-0-11-10-43-65281-35-18-5-13-27,4588-29-23-24,0");
  CHECK(ja3_hash(hello) == "98487aa16281980e7d1120d399efb6a4");
  CHECK(ja4(hello) == "t13d1516h2_8daaf6152771_d8a2da3f94cd");
}

TEST_CASE("fingerprints of an OpenSSL hello are stable and well-formed", "[fingerprint]") {
  tlsdoctor::lab::MemoryClientOptions options;
  options.sni = "lab.tlsdoctor.test";
  options.alpn = {"h2", "http/1.1"};
  auto first = tlsdoctor::lab::openssl_client_hello(options);
  auto second = tlsdoctor::lab::openssl_client_hello(options);
  REQUIRE(first);
  REQUIRE(second);
  auto a = tlsdoctor::tls::parse_client_hello(first->message);
  auto b = tlsdoctor::tls::parse_client_hello(second->message);
  REQUIRE(a);
  REQUIRE(b);
  // Randoms and key shares differ between the two; the fingerprints must not.
  CHECK(ja3_string(*a) == ja3_string(*b));
  CHECK(ja4(*a) == ja4(*b));
  CHECK(ja3_hash(*a).size() == 32);
  CHECK(ja3_string(*a).rfind("771,4866-4867-4865-", 0) == 0);
  const std::string fingerprint = ja4(*a);
  REQUIRE(fingerprint.size() == 36);
  CHECK(fingerprint.substr(0, 4) == "t13d");
  CHECK(fingerprint.substr(8, 2) == "h2");
}

namespace {

struct ExternalClient {
  std::string name;
  std::vector<std::string> argv;
};

struct TsharkHello {
  std::string ja3_hash;
  std::string ja3_full;
};

std::uint32_t le32(const std::string& b, std::size_t at) {
  return static_cast<std::uint32_t>(static_cast<unsigned char>(b[at])) |
         static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 1])) << 8 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 2])) << 16 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 3])) << 24;
}
std::uint16_t be16(const std::string& b, std::size_t at) {
  return static_cast<std::uint16_t>(static_cast<unsigned char>(b[at]) << 8 | static_cast<unsigned char>(b[at + 1]));
}

// Source ports of TCP segments that carry data in a classic pcap of lo (Ethernet framing, IPv4).
// dumpcap hands packets over in blocks, so the test waits until the hellos are in the file
// before it stops the capture; stopping earlier loses the packets still in the kernel's block.
std::set<std::uint16_t> ports_that_sent_data(const std::string& pcap) {
  std::ifstream in(pcap, std::ios::binary);
  const std::string b((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::set<std::uint16_t> ports;
  constexpr std::uint32_t kPcapMagic = 0xa1b2c3d4;
  constexpr std::uint32_t kLinkTypeEthernet = 1;
  if (b.size() < 24 || le32(b, 0) != kPcapMagic || le32(b, 20) != kLinkTypeEthernet) return ports;
  for (std::size_t at = 24; at + 16 <= b.size();) {
    const std::size_t length = le32(b, at + 8);
    const std::size_t frame = at + 16;
    at = frame + length;
    if (at > b.size()) break;
    if (length < 14 + 20 || be16(b, frame + 12) != 0x0800) continue;
    const std::size_t ip = frame + 14;
    const std::size_t ip_header = (static_cast<unsigned char>(b[ip]) & 0x0f) * 4u;
    if (static_cast<unsigned char>(b[ip + 9]) != 6 || length < 14 + ip_header + 20) continue;
    const std::size_t tcp = ip + ip_header;
    const std::size_t tcp_header = (static_cast<unsigned char>(b[tcp + 12]) >> 4) * 4u;
    if (be16(b, ip + 2) > ip_header + tcp_header) ports.insert(be16(b, tcp));
  }
  return ports;
}

// tshark's JA3 of each ClientHello in the capture, by the client's source port.
std::map<std::uint16_t, TsharkHello> tshark_ja3(const std::string& pcap, std::uint16_t port) {
  const auto result = tlsdoctor::lab::run_process(
      {"tshark", "-r", pcap, "-d", "tcp.port==" + std::to_string(port) + ",tls", "-Y", "tls.handshake.type==1",
       "-T", "fields", "-e", "tcp.srcport", "-e", "tls.handshake.ja3", "-e", "tls.handshake.ja3_full"},
      {.env = {}, .timeout = 10s});
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  std::map<std::uint16_t, TsharkHello> out;
  std::stringstream lines(result.out);
  std::string line;
  while (std::getline(lines, line)) {
    std::stringstream fields(line);
    std::string port_text;
    TsharkHello hello;
    std::getline(fields, port_text, '\t');
    std::getline(fields, hello.ja3_hash, '\t');
    std::getline(fields, hello.ja3_full, '\t');
    if (!port_text.empty()) out[static_cast<std::uint16_t>(std::stoul(port_text))] = hello;
  }
  return out;
}

}  // namespace

TEST_CASE("JA3 of openssl, curl and gnutls-cli hellos matches tshark's on a capture of them", "[fingerprint][tshark]") {
  using tlsdoctor::lab::find_on_path;
  for (const char* tool : {"tshark", "dumpcap", "openssl", "curl", "gnutls-cli"}) {
    if (!find_on_path(tool)) {
      if (tlsdoctor::lab::lab_required()) FAIL(tool << " is not installed and TLSDOCTOR_REQUIRE_LAB=1");
      WARN("skipped: " << tool << " is not installed");
      return;
    }
  }
  auto capture = tlsdoctor::lab::HelloCapture::start(3000ms);
  REQUIRE(capture);
  const std::uint16_t port = (*capture)->port();
  auto dir = tlsdoctor::lab::TempTree::create("tlsdoctor-ja3-");
  REQUIRE(dir);
  const std::string pcap = (dir->path() / "hellos.pcap").string();
  // dumpcap is the capture engine tshark runs; started directly it stops in 0.1 s where
  // tshark takes 3 s. tshark itself reads the capture below.
  auto dumpcap = tlsdoctor::lab::BackgroundProcess::start(
      {"dumpcap", "-i", "lo", "-f", "tcp port " + std::to_string(port), "-P", "-w", pcap}, "Capturing on", 5s);
  if (!dumpcap) {
    // Capturing needs root or CAP_NET_RAW; a developer's unprivileged run skips.
    if (tlsdoctor::lab::lab_required()) FAIL("dumpcap cannot capture on lo: " << dumpcap.error());
    WARN("skipped: dumpcap cannot capture on lo: " << dumpcap.error());
    return;
  }

  const std::string p = std::to_string(port);
  const std::vector<ExternalClient> clients = {
      {"openssl", {"openssl", "s_client", "-connect", "127.0.0.1:" + p, "-servername", "lab.tlsdoctor.test"}},
      {"curl", {"curl", "--max-time", "5", "-k", "--resolve", "lab.tlsdoctor.test:" + p + ":127.0.0.1",
                "https://lab.tlsdoctor.test:" + p + "/"}},
      {"gnutls-cli", {"gnutls-cli", "--insecure", "-p", p, "--sni-hostname", "lab.tlsdoctor.test", "127.0.0.1"}},
  };
  std::vector<tlsdoctor::lab::CapturedHello> hellos;
  for (const auto& client : clients) {
    const std::size_t before = hellos.size();
    tlsdoctor::lab::run_process(client.argv, {.env = {}, .timeout = 5s});
    hellos = (*capture)->wait_for(before, 3s);
    INFO(client.name);
    REQUIRE(hellos.size() == before + 1);
    INFO(hellos.back().error);
    REQUIRE(hellos.back().error.empty());
  }
  const auto all_in = [&] {
    const auto ports = ports_that_sent_data(pcap);
    return std::all_of(hellos.begin(), hellos.end(), [&](const auto& h) { return ports.count(h.client_port) > 0; });
  };
  const auto wait_until = std::chrono::steady_clock::now() + 5s;
  while (!all_in() && std::chrono::steady_clock::now() < wait_until) std::this_thread::sleep_for(50ms);
  const auto stopped = (*dumpcap)->stop(5s);
  INFO(stopped.err);
  REQUIRE_FALSE(stopped.timed_out);
  REQUIRE(all_in());

  const auto seen = tshark_ja3(pcap, port);
  for (std::size_t i = 0; i < clients.size(); ++i) {
    INFO(clients[i].name);
    auto hello = tlsdoctor::tls::parse_client_hello(hellos[i].message);
    INFO((hello ? std::string() : hello.error()));
    REQUIRE(hello);
    CHECK(hello->sni == std::optional<std::string>("lab.tlsdoctor.test"));
    CHECK(tlsdoctor::tls::parse_client_hello_records(hellos[i].records));
    const auto found = seen.find(hellos[i].client_port);
    REQUIRE(found != seen.end());
    CHECK(ja3_string(*hello) == found->second.ja3_full);
    CHECK(ja3_hash(*hello) == found->second.ja3_hash);
  }
}
