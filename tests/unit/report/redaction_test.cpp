// Redaction removes user, host, home, URL credentials and queries, private and MAC addresses, and nothing else.
#include <catch2/catch.hpp>

#include "report/json_renderer.h"
#include "report/redaction.h"
#include "sample_report.h"

using namespace tlsdoctor::report;

namespace {
const RedactionSubjects kSubjects{"alice", "myhost", "/home/alice"};
}

TEST_CASE("redact_text replaces each kind of identifying text") {
  CHECK(redact_text("/home/alice/.pki/nssdb", kSubjects) == "~/.pki/nssdb");
  CHECK(redact_text("/home/alicex/file", kSubjects) == "/home/alicex/file");
  CHECK(redact_text("http://bob:secret@proxy.corp:3128", kSubjects) == "http://***@proxy.corp:3128");
  CHECK(redact_text("http://proxy.corp:3128/a@b", kSubjects) == "http://proxy.corp:3128/a@b");
  CHECK(redact_text("via 10.1.2.3:3128", kSubjects) == "via <private-address>:3128");
  CHECK(redact_text("172.20.0.1 and 172.32.0.1", kSubjects) == "<private-address> and 172.32.0.1");
  CHECK(redact_text("192.168.1.1", kSubjects) == "<private-address>");
  CHECK(redact_text("fe80::1%eth0 fd12:3456::1", kSubjects) == "<private-address> <private-address>");
  CHECK(redact_text("8.8.8.8 2001:db8::1 127.0.0.1", kSubjects) == "8.8.8.8 2001:db8::1 127.0.0.1");
  CHECK(redact_text("user alice on myhost.corp", kSubjects) == "user <user> on <host>.corp");
  CHECK(redact_text("malice myhostile", kSubjects) == "malice myhostile");
}

TEST_CASE("a URL's query and fragment are removed, its scheme, host and path kept") {
  // A captive portal's redirect: the client's MAC, address and a session token in the query.
  CHECK(redact_text("http://portal.example/login?mac=aa:bb:cc:dd:ee:ff&ip=203.0.113.7&t=9f2c", kSubjects) ==
        "http://portal.example/login?<query>");
  CHECK(redact_text("see \"https://a.example/p#token=x\" there", kSubjects) == "see \"https://a.example/p#<query>\" there");
  CHECK(redact_text("https://ref.example:8443/v1/time and http://wpad/wpad.dat", kSubjects) ==
        "https://ref.example:8443/v1/time and http://wpad/wpad.dat");
  CHECK(redact_text("http://x.example/? done", kSubjects) == "http://x.example/? done");
  CHECK(redact_text("a ? b # c", kSubjects) == "a ? b # c");  // not in a URL
}

TEST_CASE("MAC addresses are removed, longer hex runs are not") {
  CHECK(redact_text("client aa:bb:cc:dd:ee:ff on wlan0", kSubjects) == "client <mac-address> on wlan0");
  CHECK(redact_text("AA-BB-CC-00-11-22.", kSubjects) == "<mac-address>.");
  CHECK(redact_text("aa:bb:cc:dd:ee:ff:00", kSubjects) == "aa:bb:cc:dd:ee:ff:00");
  CHECK(redact_text("aa:bb-cc:dd:ee:ff", kSubjects) == "aa:bb-cc:dd:ee:ff");
  CHECK(redact_text("2001:db8:0:0:1:2", kSubjects) == "2001:db8:0:0:1:2");
}

TEST_CASE("generic login names are left alone so words survive") {
  const RedactionSubjects root{"root", "box", "/root"};
  CHECK(redact_text("ISRG Root X1 is a root certificate", root) == "ISRG Root X1 is a root certificate");
  CHECK(redact_text("/root/.pki/nssdb", root) == "~/.pki/nssdb");
}

TEST_CASE("certificate fingerprints are not mistaken for addresses") {
  const std::string fp =
      "96:BC:EC:06:26:49:76:F3:74:60:77:9A:CF:28:C5:A7:CF:E8:A3:C0:AA:E1:1A:8F:FC:EE:05:C0:BD:DF:08:C6";
  CHECK(redact_text(fp, kSubjects) == fp);
}

TEST_CASE("redact reaches every free-text part of the report") {
  Report r = test::sample_report();
  // A captive portal's redirect, as the captive_portal check records it.
  r.checks.front().facts["location"] = "http://portal.example/login?mac=aa:bb:cc:dd:ee:ff&session=5e55";
  redact(r, kSubjects);
  const std::string json = render_json(r);
  for (const char* marker : {"alice", "myhost", "secret", "bob:", "10.1.2.3", "aa:bb:cc", "5e55"}) {
    INFO(marker);
    CHECK(json.find(marker) == std::string::npos);
  }
  CHECK(r.redacted);
  CHECK(r.system.host == "<host>");
  CHECK(json.find("proxy.unreachable") != std::string::npos);  // ids untouched
}
