// Tests for platform/ntp_config: server names from chrony/ntpd/OpenNTPD keyword lines and timesyncd's NTP= lists.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "platform/ntp_config.h"

using namespace tlsdoctor::platform;

TEST_CASE("ntp config: server, pool and peer lines name servers once, comments ignored", "[ntp_config]") {
  std::vector<std::string> servers;
  keyword_servers("# chrony\npool 2.debian.pool.ntp.org iburst\nserver ntp.corp.example # main\n"
                  "server ntp.corp.example\n  peer 10.0.0.1\nmakestep 1 3\n#server old.example\n",
                  servers);
  CHECK(servers == std::vector<std::string>{"2.debian.pool.ntp.org", "ntp.corp.example", "10.0.0.1"});
}

TEST_CASE("ntp config: timesyncd's NTP= resets on an empty assignment, FallbackNTP= apart", "[ntp_config]") {
  std::vector<std::string> servers;
  std::vector<std::string> fallback;
  timesyncd_servers("[Time]\nNTP=a.example b.example\nNTP=\nNTP=c.example\n;NTP=d.example\n"
                    "FallbackNTP=0.debian.pool.ntp.org 1.debian.pool.ntp.org\n",
                    servers, fallback);
  CHECK(servers == std::vector<std::string>{"c.example"});
  CHECK(fallback == std::vector<std::string>{"0.debian.pool.ntp.org", "1.debian.pool.ntp.org"});
}

TEST_CASE("ntp config: at most kMaxServersListed names are kept", "[ntp_config]") {
  std::string text;
  for (int i = 0; i < 40; ++i) text += "server s" + std::to_string(i) + ".example\n";
  std::vector<std::string> servers;
  keyword_servers(text, servers);
  CHECK(servers.size() == kMaxServersListed);
}
