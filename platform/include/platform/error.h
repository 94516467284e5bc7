// Errors platform backends return as values: which input failed and why.
#pragma once

#include <string>

namespace tlsdoctor::platform {

struct Error {
  std::string input;    // the file, variable or program that failed ("/etc/adjtime", "$TZ")
  std::string message;  // what went wrong, in plain words ("no such file")
};

}  // namespace tlsdoctor::platform
