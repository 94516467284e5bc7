// The peer chain libcurl saw, from CURLINFO_CERTINFO (its PEM text back to DER).
#pragma once

#include <cstdint>
#include <vector>

#include <curl/curl.h>

namespace tlsdoctor::refclient {

// The certificates of the last transfer on `curl` (CURLOPT_CERTINFO on), leaf first, as DER;
// empty when TLS never got that far. A certificate whose PEM does not decode is left out.
std::vector<std::vector<std::uint8_t>> peer_chain_of(CURL* curl);

}  // namespace tlsdoctor::refclient
