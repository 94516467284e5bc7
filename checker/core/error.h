// Errors the checker returns as values: which input failed and why.
#pragma once

#include <string>

namespace tlsdoctor {

struct Error {
  std::string input;    // the file, host, option or certificate concerned
  std::string message;  // what went wrong, in plain words
};

}  // namespace tlsdoctor
