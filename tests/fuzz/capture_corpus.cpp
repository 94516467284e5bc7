// Writes the fuzz targets' seed corpora from the lab's real traffic and this machine's files: capture_corpus --out DIR.
//
// Every seed is something a real component produced here: ClientHellos our probes, libcurl and
// openssl sent; answers, keys and a snapshot from a running tlsdoctor-reference; reports the
// built tlsdoctor wrote; Date headers lab servers sent; requests libcurl sent to a recorder;
// PROXY v2 headers haproxy sent; a PAC answer pacparser computed; certutil's listing of an NSS
// database; configuration files of this machine (the test fixtures' copies where it has none).
// Ports, keys and nonces differ per run.
#include <cstdio>
#include <string>

#include "capture_support.h"

using namespace tlsdoctor::fuzz::capture;

int main(int argc, char** argv) {
  if (argc != 3 || std::string(argv[1]) != "--out") {
    std::fprintf(stderr, "usage: capture_corpus --out DIR\n");
    return 2;
  }
  try {
    Corpus corpus{fs::path(argv[2])};
    auto l = start_lab();
    const auto hello = capture_reference(l, corpus);
    capture_client_hellos(l, corpus);
    capture_requests(l, hello, corpus);
    capture_proxy_headers(corpus);
    capture_reports(l, corpus);
    capture_date_forms(corpus);
    capture_policies(l, corpus);
    capture_proxy_settings(l, corpus);
    capture_platform_files(corpus);
    capture_bundles(corpus);
    capture_vetting(l, corpus);
    std::printf("capture_corpus: %zu seeds written to %s\n", corpus.written(), argv[2]);
    return 0;
  } catch (const CaptureError& e) {
    std::fprintf(stderr, "capture_corpus: %s\n", e.what.c_str());
    return 1;
  }
}
