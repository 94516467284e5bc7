// Tests for platform/src/resolv_conf.cpp: the search list glibc would use.
#include <catch2/catch.hpp>

#include "platform/resolv_conf.h"

using tlsdoctor::platform::resolv_conf_search_domains;

TEST_CASE("resolv.conf: search and domain lines, the last one winning") {
  CHECK(resolv_conf_search_domains("nameserver 192.0.2.1\nsearch a.example b.example.\n") ==
        std::vector<std::string>{"a.example", "b.example"});
  CHECK(resolv_conf_search_domains("search a.example\ndomain c.example d.example\n") ==
        std::vector<std::string>{"c.example"});
  CHECK(resolv_conf_search_domains("domain c.example\nsearch\tx.example # note\n") ==
        std::vector<std::string>{"x.example"});
  CHECK(resolv_conf_search_domains("# search commented.example\nnameserver ::1\n").empty());
  CHECK(resolv_conf_search_domains("search .\n").empty());
}
