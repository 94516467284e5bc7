// The user's NSS certificate database (~/.pki/nssdb), read through certutil.
#pragma once

#include "platform/env.h"
#include <string>
#include <string_view>
#include <vector>

#include "platform/trust_store.h"

namespace tlsdoctor::platform::detail {

// Fills `source` (kind NssDatabase) from the user's NSS database: one certutil run lists the
// nicknames with their trust flags, then one run per nickname prints its certificates as PEM.
// Skipped, with the reason, when certutil is missing or programs are turned off.
void read_nss_database(const Env& env, TrustSource& source);

// certutil -L output ("nickname   CT,C,C" lines under a two-line header) as (nickname, flags).
struct NssEntry {
  std::string nickname;
  std::string trust;
};
std::vector<NssEntry> parse_certutil_list(std::string_view output);

}  // namespace tlsdoctor::platform::detail
