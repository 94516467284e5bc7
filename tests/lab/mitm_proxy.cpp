// Starts mitmdump in its own configuration directory on a free loopback port.
#include "lab/mitm_proxy.h"

#include <chrono>

#include "lab/loopback_port.h"
#include "lab/subprocess.h"

namespace tlsdoctor::lab {
namespace {

// mitmdump (Python) takes one to three seconds to start here; a busy CI machine gets more.
constexpr std::chrono::seconds kMitmStartTimeout{30};

}  // namespace

tl::expected<std::unique_ptr<MitmProxy>, std::string> MitmProxy::start() {
  const auto mitmdump = find_on_path("mitmdump");
  if (!mitmdump) return tl::unexpected(std::string("mitmdump is not installed"));
  auto dir = TempTree::create("tlsdoctor-lab-mitm-");
  if (!dir) return tl::unexpected("mitmdump directory: " + dir.error());
  const auto port = unused_loopback_port();
  // mitmdump logs to stdout; the lab reads readiness from stderr.
  auto process = BackgroundProcess::start({"sh", "-c", "exec \"$0\" \"$@\" 1>&2", *mitmdump, "--listen-host",
                                           "127.0.0.1", "-p", std::to_string(port), "--set",
                                           "confdir=" + dir->path().string(), "--ssl-insecure"},
                                          "listening at", kMitmStartTimeout);
  if (!process) return tl::unexpected("mitmdump did not start: " + process.error());
  return std::make_unique<MitmProxy>(std::move(*dir), port, std::move(*process));
}

}  // namespace tlsdoctor::lab
