// Every rendering of the built tlsdoctor leaves out the user, host, home, proxy credentials and private addresses unless --no-redact.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <string>
#include <vector>

#include "lab/subprocess.h"

using namespace tlsdoctor;

namespace {

// Unique strings no report would hold by chance.
constexpr const char* kUser = "zqxuserzqx";
constexpr const char* kHost = "zqxhostzqx";
constexpr const char* kHome = "/home/zqxhomezqx";
constexpr const char* kProxyUser = "zqxproxyuserzqx";
constexpr const char* kProxyPassword = "zqxsecretzqx";
constexpr const char* kPrivateAddress = "192.168.213.47";

// tlsdoctor with the markers in its environment, in a UTS namespace of its own with the marker
// as host name when this test may make one (root), so the machine's name is never changed.
lab::ProcessResult run_marked(const std::string& format, bool redact) {
  std::vector<std::string> argv;
  if (::geteuid() == 0 && lab::find_on_path("unshare")) {
    argv = {"unshare", "--uts", "sh", "-c", std::string("hostname ") + kHost + " && exec \"$@\"", "sh"};
  }
  argv.insert(argv.end(), {lab::tlsdoctor_binary(), "--offline", "--no-policy", "--only", "proxy,clock", "-f", format});
  if (!redact) argv.push_back("--no-redact");
  lab::ProcessOptions options;
  options.env = {{"USER", std::string(kUser)},
                 {"LOGNAME", std::string(kUser)},
                 {"HOME", std::string(kHome)},
                 {"https_proxy", std::string("http://") + kProxyUser + ":" + kProxyPassword + "@" + kPrivateAddress + ":3128"},
                 {"http_proxy", std::nullopt}, {"HTTPS_PROXY", std::nullopt}, {"no_proxy", std::nullopt}};
  return lab::run_process(argv, options);
}

}  // namespace

TEST_CASE("redaction: no marker in any format's output by default, and --no-redact keeps them (never the password)") {
  const bool host_marked = ::geteuid() == 0 && lab::find_on_path("unshare").has_value();
  for (const std::string format : {"text", "json", "html", "jamf", "intune", "jsonl"}) {
    INFO(format);
    const auto r = run_marked(format, true);
    INFO(r.out << r.err);
    REQUIRE_FALSE(r.out.empty());
    for (const char* marker : {kUser, kHost, kHome, kProxyUser, kProxyPassword, kPrivateAddress}) {
      INFO(marker);
      CHECK(r.out.find(marker) == std::string::npos);
      CHECK(r.err.find(marker) == std::string::npos);
    }
  }
  const auto kept = run_marked("json", false);
  CHECK(kept.out.find(kUser) != std::string::npos);
  CHECK(kept.out.find(kPrivateAddress) != std::string::npos);
  if (host_marked) CHECK(kept.out.find(kHost) != std::string::npos);
  CHECK(kept.out.find(kProxyPassword) == std::string::npos);  // passwords are never written
}
