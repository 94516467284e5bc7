// Tests for reference/server/address_policy.cpp: strict address and CIDR parsing, every special range at its edges, the allow list.
#include <catch2/catch.hpp>

#include <netinet/in.h>

#include <cstring>
#include <string>
#include <vector>

#include "reference/server/address_policy.h"

using namespace tlsdoctor;
using namespace tlsdoctor::reference;

namespace {

IpAddress ip(std::string_view text) {
  const auto address = parse_ip_address(text);
  INFO(text);
  REQUIRE(address);
  return *address;
}

// The reason for an address written as text; the text must parse.
std::optional<std::string> reason_for(std::string_view text) { return forbidden_reason(ip(text)); }

}  // namespace

TEST_CASE("parse_ip_address takes only canonical forms", "[address_policy]") {
  CHECK(to_string(ip("93.184.216.34")) == "93.184.216.34");
  CHECK(ip("0.0.0.0").family == IpFamily::V4);
  CHECK(to_string(ip("2001:DB8::1")) == "2001:db8::1");
  CHECK(ip("::ffff:127.0.0.1").family == IpFamily::V6);
  for (const std::string_view text :
       {"", "127.1", "127.0.1", "2130706433", "0x7f.0.0.1", "0177.0.0.1", "127.000.000.001", "01.2.3.4", "1.2.3.4.",
        ".1.2.3.4", "1.2.3.256", "1.2.3.4.5", "1..2.3", "+1.2.3.4", " 1.2.3.4", "fe80::1%eth0", "[::1]", "::1 ",
        "1:2:3:4:5:6:7:8:9", "localhost", "::g"}) {
    INFO(text);
    CHECK_FALSE(parse_ip_address(text));
  }
  // A NUL inside the view must not let inet_pton read only the part before it.
  CHECK_FALSE(parse_ip_address(std::string_view("::1\0junk", 8)));
  CHECK_FALSE(parse_ip_address(std::string_view("10.0.0.1\0", 9)));
}

TEST_CASE("ip_address_of reads socket addresses of both families", "[address_policy]") {
  sockaddr_storage storage{};
  auto* v4 = reinterpret_cast<sockaddr_in*>(&storage);
  v4->sin_family = AF_INET;
  v4->sin_addr.s_addr = htonl(0x7f000001);
  CHECK(ip_address_of(storage) == ip("127.0.0.1"));

  storage = {};
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&storage);
  v6->sin6_family = AF_INET6;
  v6->sin6_addr = in6addr_loopback;
  CHECK(ip_address_of(storage) == ip("::1"));

  storage = {};
  storage.ss_family = AF_UNIX;
  CHECK_FALSE(ip_address_of(storage));
}

TEST_CASE("parse_cidr reads networks, bare addresses, and masks host bits", "[address_policy]") {
  const struct {
    std::string_view input;
    std::string_view network;
  } cases[] = {
      {"10.0.0.0/8", "10.0.0.0/8"},         {"fd00::/8", "fd00::/8"},
      {"192.0.2.7", "192.0.2.7/32"},        {"::1", "::1/128"},
      {"192.168.1.10/24", "192.168.1.0/24"}, {"100.127.1.1/10", "100.64.0.0/10"},
      {"0.0.0.0/0", "0.0.0.0/0"},           {"2001:db8:ffff::1/33", "2001:db8:8000::/33"},
      {"::/0", "::/0"},                     {"127.0.0.1/32", "127.0.0.1/32"},
  };
  for (const auto& c : cases) {
    INFO(c.input);
    const auto cidr = parse_cidr(c.input);
    REQUIRE(cidr);
    CHECK(to_string(*cidr) == c.network);
  }
}

TEST_CASE("parse_cidr errors name the input and what is wrong", "[address_policy]") {
  const struct {
    std::string_view input;
    std::string_view says;
  } cases[] = {
      {"", "canonical form"},
      {"/8", "canonical form"},
      {"010.0.0.0/8", "canonical form"},
      {"10.0.0/8", "canonical form"},
      {"10.0.0.0.0/8", "canonical form"},
      {"256.0.0.0/8", "canonical form"},
      {"0x0a.0.0.0/8", "canonical form"},
      {"fe80::1%eth0/64", "canonical form"},
      {"[::1]/128", "canonical form"},
      {" 10.0.0.0/8", "canonical form"},
      {"10.0.0.0 /8", "canonical form"},
      {"localhost/8", "canonical form"},
      {"10.0.0.0/", "prefix length \"\""},
      {"10.0.0.0/33", "from 0 to 32"},
      {"::/129", "from 0 to 128"},
      {"10.0.0.0/-1", "prefix length"},
      {"10.0.0.0/+8", "prefix length"},
      {"10.0.0.0/08", "prefix length"},
      {"10.0.0.0/8 ", "prefix length"},
      {"10.0.0.0/8/8", "prefix length"},
      {"10.0.0.0/0x8", "prefix length"},
      {"10.0.0.0/1000", "prefix length"},
  };
  for (const auto& c : cases) {
    INFO(c.input);
    const auto cidr = parse_cidr(c.input);
    REQUIRE_FALSE(cidr);
    CHECK(cidr.error().input == c.input);
    CHECK_THAT(cidr.error().message, Catch::Contains(std::string(c.says)));
  }
}

TEST_CASE("Cidr::contains compares the prefix bits only, within one family", "[address_policy]") {
  const auto cgnat = parse_cidr("100.64.0.0/10").value();
  CHECK(cgnat.contains(ip("100.64.0.0")));
  CHECK(cgnat.contains(ip("100.127.255.255")));
  CHECK_FALSE(cgnat.contains(ip("100.63.255.255")));
  CHECK_FALSE(cgnat.contains(ip("100.128.0.0")));
  const auto everything_v4 = parse_cidr("0.0.0.0/0").value();
  CHECK(everything_v4.contains(ip("255.255.255.255")));
  // ::ffff:100.64.0.1 carries a CGNAT address but is an IPv6 address: V4 networks never match it.
  CHECK_FALSE(everything_v4.contains(ip("::ffff:100.64.0.1")));
  CHECK_FALSE(parse_cidr("::/0").value().contains(ip("10.0.0.1")));
  CHECK(parse_cidr("fe80::/10").value().contains(ip("febf:ffff::1")));
  CHECK_FALSE(parse_cidr("fe80::/10").value().contains(ip("fec0::")));
}

TEST_CASE("forbidden_reason covers every special range up to its edges and no further", "[address_policy]") {
  // Each range: its first and last address (inside), the addresses just before and after it
  // (outside: public, or the neighbouring range with a reason that does not name this one).
  const struct {
    std::string_view range;  // as the reason names it
    std::string_view first, last;
    std::string_view before, after;  // "" where the range starts or ends the address space
  } ranges[] = {
      {"this network 0.0.0.0/8", "0.0.0.0", "0.255.255.255", "", "1.0.0.0"},
      {"private 10.0.0.0/8", "10.0.0.0", "10.255.255.255", "9.255.255.255", "11.0.0.0"},
      {"(CGNAT) 100.64.0.0/10", "100.64.0.0", "100.127.255.255", "100.63.255.255", "100.128.0.0"},
      {"loopback 127.0.0.0/8", "127.0.0.0", "127.255.255.255", "126.255.255.255", "128.0.0.0"},
      {"169.254.0.0/16", "169.254.0.0", "169.254.255.255", "169.253.255.255", "169.255.0.0"},
      {"private 172.16.0.0/12", "172.16.0.0", "172.31.255.255", "172.15.255.255", "172.32.0.0"},
      {"IETF protocol assignments 192.0.0.0/24", "192.0.0.0", "192.0.0.255", "191.255.255.255", "192.0.1.0"},
      {"(TEST-NET-1) 192.0.2.0/24", "192.0.2.0", "192.0.2.255", "192.0.1.255", "192.0.3.0"},
      {"6to4 relay anycast 192.88.99.0/24", "192.88.99.0", "192.88.99.255", "192.88.98.255", "192.88.100.0"},
      {"private 192.168.0.0/16", "192.168.0.0", "192.168.255.255", "192.167.255.255", "192.169.0.0"},
      {"benchmarking 198.18.0.0/15", "198.18.0.0", "198.19.255.255", "198.17.255.255", "198.20.0.0"},
      {"(TEST-NET-2) 198.51.100.0/24", "198.51.100.0", "198.51.100.255", "198.51.99.255", "198.51.101.0"},
      {"(TEST-NET-3) 203.0.113.0/24", "203.0.113.0", "203.0.113.255", "203.0.112.255", "203.0.114.0"},
      {"multicast 224.0.0.0/4", "224.0.0.0", "239.255.255.255", "223.255.255.255", "240.0.0.0"},
      {"(class E) 240.0.0.0/4", "240.0.0.0", "255.255.255.254", "239.255.255.255", "255.255.255.255"},
      {"limited broadcast 255.255.255.255/32", "255.255.255.255", "255.255.255.255", "255.255.255.254", ""},
      {"unspecified ::/128", "::", "::", "", "::1"},
      {"loopback ::1/128", "::1", "::1", "::", "::2"},
      {"IPv4-mapped ::ffff:0:0/96", "::ffff:0.0.0.0", "::ffff:255.255.255.255", "::fffe:ffff:ffff", "::1:0:0:0"},
      {"IPv4-compatible (deprecated) ::/96", "::0.0.0.2", "::255.255.255.255", "", "::1:0:0"},
      {"(SIIT) ::ffff:0:0:0/96", "::ffff:0:0:0", "::ffff:0:ffff:ffff", "::fffe:ffff:ffff:ffff", "::ffff:1:0:0"},
      {"NAT64 well-known prefix 64:ff9b::/96", "64:ff9b::", "64:ff9b::ffff:ffff", "64:ff9a:ffff:ffff:ffff:ffff:ffff:ffff",
       "64:ff9b::1:0:0"},
      {"NAT64 local-use prefix 64:ff9b:1::/48", "64:ff9b:1::", "64:ff9b:1:ffff:ffff:ffff:ffff:ffff",
       "64:ff9b:0:ffff:ffff:ffff:ffff:ffff", "64:ff9b:2::"},
      {"discard-only 100::/64", "100::", "100::ffff:ffff:ffff:ffff", "ff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
       "100:0:0:1::"},
      {"Teredo 2001::/32", "2001::", "2001:0:ffff:ffff:ffff:ffff:ffff:ffff", "2000:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
       "2001:1::"},
      {"benchmarking 2001:2::/48", "2001:2::", "2001:2:0:ffff:ffff:ffff:ffff:ffff", "2001:1:ffff:ffff:ffff:ffff:ffff:ffff",
       "2001:2:1::"},
      {"ORCHID (deprecated) 2001:10::/28", "2001:10::", "2001:1f:ffff:ffff:ffff:ffff:ffff:ffff",
       "2001:f:ffff:ffff:ffff:ffff:ffff:ffff", "2001:20::"},
      {"ORCHIDv2 2001:20::/28", "2001:20::", "2001:2f:ffff:ffff:ffff:ffff:ffff:ffff", "2001:1f:ffff:ffff:ffff:ffff:ffff:ffff",
       "2001:30::"},
      {"IETF protocol assignments 2001::/23", "2001:1::1", "2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff",
       "2000:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "2001:200::"},
      {"documentation 2001:db8::/32", "2001:db8::", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff",
       "2001:db7:ffff:ffff:ffff:ffff:ffff:ffff", "2001:db9::"},
      {"6to4 2002::/16", "2002::", "2002:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "2001:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
       "2003::"},
      {"documentation 3fff::/20", "3fff::", "3fff:fff:ffff:ffff:ffff:ffff:ffff:ffff", "3ffe:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
       "3fff:1000::"},
      {"unique local fc00::/7", "fc00::", "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
       "fe00::"},
      {"link-local fe80::/10", "fe80::", "febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "fe7f:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
       "fec0::"},
      {"site-local (deprecated) fec0::/10", "fec0::", "feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
       "febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "ff00::"},
      {"multicast ff00::/8", "ff00::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
       ""},
      {"2000::/3) ::/3", "0:0:0:1::", "1fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "", "2000::"},
      {"2000::/3) 4000::/2", "4000::", "7fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "3fff:ffff::", "8000::"},
      {"2000::/3) 8000::/1", "8000::", "fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "7fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
       "fc00::"},
  };
  for (const auto& r : ranges) {
    INFO(r.range);
    for (const auto inside : {r.first, r.last}) {
      INFO("inside: " << inside);
      const auto reason = reason_for(inside);
      REQUIRE(reason);
      CHECK_THAT(*reason, Catch::Contains(std::string(r.range)));
      CHECK_THAT(*reason, Catch::Contains("RFC "));
    }
    for (const auto outside : {r.before, r.after}) {
      if (outside.empty()) continue;
      INFO("outside: " << outside);
      const auto reason = reason_for(outside);
      if (reason) CHECK_THAT(*reason, !Catch::Contains(std::string(r.range)));
    }
  }
}

TEST_CASE("forbidden_reason leaves public addresses alone", "[address_policy]") {
  for (const std::string_view text :
       {"1.1.1.1", "8.8.8.8", "93.184.216.34", "9.255.255.255", "11.0.0.0", "126.255.255.255", "128.0.0.0",
        "100.63.255.255", "100.128.0.0", "172.15.255.255", "172.32.0.0", "192.0.1.0", "192.0.3.0", "192.169.0.0",
        "198.20.0.0", "223.255.255.255", "2606:4700:4700::1111", "2a00:1450:4001:80b::200e",
        "2000:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "2001:200::", "2001:db9::", "2003::", "3fff:1000::", "3fff:ffff::"}) {
    INFO(text);
    const auto reason = reason_for(text);
    CHECK_FALSE(reason);
    if (reason) UNSCOPED_INFO(*reason);
  }
}

TEST_CASE("forbidden_reason names the IPv4 address an IPv6 form embeds", "[address_policy]") {
  const struct {
    std::string_view address;
    std::string_view embedding;
    std::string_view ipv4;
  } cases[] = {
      {"::ffff:127.0.0.1", "IPv4-mapped", "embedding 127.0.0.1"},
      {"::ffff:808:808", "IPv4-mapped", "embedding 8.8.8.8"},  // a public address is refused in this form too
      {"::127.0.0.1", "IPv4-compatible", "embedding 127.0.0.1"},
      {"::ffff:0:a00:1", "IPv4-translated", "embedding 10.0.0.1"},
      {"64:ff9b::a9fe:a9fe", "NAT64 well-known", "embedding 169.254.169.254"},
      {"64:ff9b:1::a00:1", "NAT64 local-use", "operator-chosen position"},
      {"2002:7f00:1::", "6to4", "embedding 127.0.0.1"},
      {"2002:c0a8:101:1::1", "6to4", "embedding 192.168.1.1"},
      // RFC 4380's example: server 65.54.227.120, client address stored with every bit inverted.
      {"2001:0:4136:e378:8000:63bf:80ff:fffe", "Teredo", "client 127.0.0.1 via server 65.54.227.120"},
  };
  for (const auto& c : cases) {
    INFO(c.address);
    const auto reason = reason_for(c.address);
    REQUIRE(reason);
    CHECK_THAT(*reason, Catch::Contains(std::string(c.embedding)));
    CHECK_THAT(*reason, Catch::Contains(std::string(c.ipv4)));
  }
}

TEST_CASE("the allow list lifts the guard for its networks only", "[address_policy]") {
  const AddressPolicy none;
  CHECK_FALSE(refusal(none, ip("93.184.216.34")));
  CHECK(refusal(none, ip("127.0.0.1")) == forbidden_reason(ip("127.0.0.1")));

  const AddressPolicy lab{{parse_cidr("127.0.0.0/8").value()}};
  CHECK_FALSE(refusal(lab, ip("127.0.0.1")));
  CHECK_FALSE(refusal(lab, ip("127.255.0.9")));
  CHECK_FALSE(refusal(lab, ip("93.184.216.34")));
  const auto private_address = refusal(lab, ip("10.0.0.1"));
  REQUIRE(private_address);
  CHECK_THAT(*private_address, Catch::Contains("10.0.0.0/8"));
  // The same loopback address in IPv4-mapped form is not in a V4 network.
  CHECK(refusal(lab, ip("::ffff:127.0.0.1")));
  CHECK(refusal(lab, ip("::1")));

  const AddressPolicy intranet{{parse_cidr("10.0.0.0/8").value(), parse_cidr("fd12:3456::/32").value()}};
  CHECK_FALSE(refusal(intranet, ip("10.1.2.3")));
  CHECK_FALSE(refusal(intranet, ip("fd12:3456::1")));
  CHECK(refusal(intranet, ip("fd12:3457::1")));
  CHECK(refusal(intranet, ip("127.0.0.1")));
  CHECK(refusal(intranet, ip("172.16.0.1")));
}
