// The PacResolver a real run uses: fetches each PAC file once, runs it for each URL asked.
#pragma once

#include <chrono>
#include <map>
#include <string>

#include "core/deadline.h"
#include "proxy/effective_proxy.h"
#include "proxy/pac_fetch.h"

namespace tlsdoctor::proxy {

// A PAC server on the LAN answers in milliseconds; 4 s covers a slow VPN or a TLS handshake to
// a distant one, and leaves room in the run's 15 s for everything else.
inline constexpr std::chrono::milliseconds kPacFetchBudget{4000};

// A script without DNS lookups runs in a few milliseconds; lookups (dnsResolve, isInNet,
// myIpAddress) can each take seconds when the resolver is slow. Past 3 s a browser would also
// have given up on the page.
inline constexpr std::chrono::milliseconds kPacEvalBudget{3000};

class LivePacResolver : public PacResolver {
 public:
  // Every fetch and evaluation takes its budget from now, never past `deadline`.
  explicit LivePacResolver(Deadline deadline, PacFetchOptions options = {})
      : deadline_(deadline), options_(std::move(options)) {}

  tl::expected<std::vector<ProxyRoute>, PacError> find(std::string_view pac_url,
                                                       std::string_view url,
                                                       std::string_view host) override;

 private:
  Deadline deadline_;
  PacFetchOptions options_;
  std::map<std::string, tl::expected<std::string, PacError>, std::less<>> scripts_;
};

}  // namespace tlsdoctor::proxy
