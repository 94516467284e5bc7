// Version text from the build info and the libraries' own version calls (the ones loaded, not
// the headers compiled against, since a user's machine may carry a different patch release).
#include "cli/version.h"

#include <curl/curl.h>
#include <fmt/format.h>
#include <openssl/crypto.h>

#include "core/build_info.h"
#include "core/time_format.h"

namespace tlsdoctor::cli {

std::string version_text() {
  const auto info = build_info();
  const curl_version_info_data* curl = curl_version_info(CURLVERSION_NOW);
  return fmt::format("tlsdoctor {}\nbuilt: {}\nOpenSSL: {}\nlibcurl: {} ({})\n", info.version,
                     rfc3339_utc(info.build_time).substr(0, 10), OpenSSL_version(OPENSSL_VERSION),
                     curl != nullptr ? curl->version : "unknown",
                     curl != nullptr && curl->ssl_version != nullptr ? curl->ssl_version : "no TLS");
}

}  // namespace tlsdoctor::cli
