// Reads libcurl's certificate info list: each certificate's "Cert:" field holds its PEM.
#include "refclient/certinfo.h"

#include <string_view>

#include "core/base64.h"

namespace tlsdoctor::refclient {

std::vector<std::vector<std::uint8_t>> peer_chain_of(CURL* curl) {
  std::vector<std::vector<std::uint8_t>> chain;
  curl_certinfo* info = nullptr;
  if (curl_easy_getinfo(curl, CURLINFO_CERTINFO, &info) != CURLE_OK || info == nullptr) return chain;
  constexpr std::string_view kCertField = "Cert:";
  constexpr std::string_view kBegin = "-----BEGIN CERTIFICATE-----";
  constexpr std::string_view kEnd = "-----END CERTIFICATE-----";
  for (int i = 0; i < info->num_of_certs; ++i) {
    for (curl_slist* item = info->certinfo[i]; item != nullptr; item = item->next) {
      const std::string_view field(item->data);
      if (!field.starts_with(kCertField)) continue;
      const auto begin = field.find(kBegin);
      const auto end = field.find(kEnd);
      if (begin == std::string_view::npos || end == std::string_view::npos || end < begin) break;
      auto der = decode_base64(field.substr(begin + kBegin.size(), end - begin - kBegin.size()));
      if (der) chain.push_back(std::move(*der));
      break;
    }
  }
  return chain;
}

}  // namespace tlsdoctor::refclient
