// The text rendering: marks per status, 80 columns, colour only when asked, quiet and verbose.
#include <catch2/catch.hpp>

#include <sstream>

#include "report/text_renderer.h"
#include "sample_report.h"

using namespace tlsdoctor::report;

namespace {

std::size_t widest_line(const std::string& text) {
  std::istringstream in(text);
  std::string line;
  std::size_t widest = 0;
  while (std::getline(in, line)) {
    std::size_t cols = 0;
    for (unsigned char c : line) cols += (c & 0xC0) != 0x80 ? 1 : 0;
    widest = std::max(widest, cols);
  }
  return widest;
}

}  // namespace

TEST_CASE("one line per check with its mark, the verdict and the first thing to do") {
  const auto text = render_text(test::sample_report(), TextOptions{});
  CHECK(text.find("[!] Clock and timezone") != std::string::npos);
  CHECK(text.find("[✗] Proxy settings") != std::string::npos);
  CHECK(text.find("[?] Trust store") != std::string::npos);
  CHECK(text.find("Verdict: local") != std::string::npos);
  CHECK(text.find("First thing to do: Check the proxy address") != std::string::npos);
  CHECK(text.find("Summary: 1 problem, 1 warning in 3 checks") != std::string::npos);
  CHECK(text.find("\033[") == std::string::npos);
}

TEST_CASE("lines fit 80 columns, also in verbose mode") {
  TextOptions o;
  CHECK(widest_line(render_text(test::sample_report(), o)) <= 80);
  o.verbose = true;
  const auto verbose = render_text(test::sample_report(), o);
  CHECK(widest_line(verbose) <= 80);
  CHECK(verbose.find("id: proxy.unreachable") != std::string::npos);
  CHECK(verbose.find("maxerror_us: 16000000") != std::string::npos);
}

TEST_CASE("ASCII marks without a UTF-8 locale, colour only when asked") {
  TextOptions o;
  o.unicode = false;
  const auto ascii = render_text(test::sample_report(), o);
  CHECK(ascii.find("[x] Proxy settings") != std::string::npos);
  CHECK(ascii.find("✗") == std::string::npos);
  o.color = true;
  CHECK(render_text(test::sample_report(), o).find("\033[31m") != std::string::npos);
}

TEST_CASE("quiet prints only the verdict") {
  TextOptions o;
  o.quiet = true;
  const auto text = render_text(test::sample_report(), o);
  CHECK(text.rfind("Verdict: local", 0) == 0);
  CHECK(text.find("Clock and timezone") == std::string::npos);
}
