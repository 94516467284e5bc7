// tlsdoctor's entry point, and the one place that catches exceptions.
#include <exception>
#include <iostream>

#include "cli/app.h"

int main(int argc, char** argv) {
  try {
    return tlsdoctor::cli::run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "tlsdoctor: internal error, could not finish: " << e.what() << '\n';
  } catch (...) {
    std::cerr << "tlsdoctor: internal error, could not finish\n";
  }
  return 3;  // ExitCode::CouldNotRun
}
