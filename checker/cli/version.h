// The --version text: tlsdoctor's version and build date with the OpenSSL and libcurl in use.
#pragma once

#include <string>

namespace tlsdoctor::cli {

std::string version_text();

}  // namespace tlsdoctor::cli
