// Live PAC answers: one download per PAC URL, one sandboxed evaluation per question.
#include "proxy/pac_resolver.h"

#include "proxy/pac_eval.h"

namespace tlsdoctor::proxy {

tl::expected<std::vector<ProxyRoute>, PacError> LivePacResolver::find(std::string_view pac_url,
                                                                      std::string_view url,
                                                                      std::string_view host) {
  auto it = scripts_.find(pac_url);
  if (it == scripts_.end()) {
    it = scripts_.emplace(std::string(pac_url),
                          fetch_pac(pac_url, deadline_.sub(kPacFetchBudget), options_)).first;
  }
  if (!it->second) return tl::unexpected(it->second.error());
  return find_proxy_with_pac(*it->second, url, host, deadline_.sub(kPacEvalBudget));
}

}  // namespace tlsdoctor::proxy
