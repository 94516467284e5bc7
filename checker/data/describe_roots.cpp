// Prints root_details.csv (every judged field of each certificate given) for generate_root_details.sh.
//
// Usage: tlsdoctor_describe_roots FILE...   (PEM or DER; a PEM file may hold several certificates)
// The rows come out sorted by sha256 after the header; the script adds the comment lines.
#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

#include "core/bounded_file.h"
#include "pki/certificate.h"
#include "pki/csv.h"
#include "pki/known_certificates.h"
#include "platform/pem.h"
#include "platform/trust_store.h"

namespace {

using namespace tlsdoctor;

// A distribution bundle of ~150 roots is about 220 KB; a file far beyond that was named by mistake.
constexpr std::uintmax_t kMaxInputFileBytes = 4u * 1024u * 1024u;

// Every certificate of `path` as a table row, or a message saying why the file cannot go in.
tl::expected<std::vector<pki::Certificate>, std::string> describe_file(const std::string& path) {
  auto text = read_bounded_file(path, kMaxInputFileBytes, "a certificate file");
  if (!text) return tl::unexpected(text.error().message);
  // The same split the trust store reader makes, so the row's sha256 is what the check will hash.
  std::vector<std::vector<std::uint8_t>> ders;
  if (platform::looks_like_der(*text)) {
    ders.emplace_back(text->begin(), text->end());
  } else {
    for (auto& block : platform::split_pem(*text, platform::kMaxCertificatesPerTrustSource)) {
      if (!block.error.empty()) return tl::unexpected("PEM block " + std::to_string(block.index) + ": " + block.error);
      // A TRUSTED CERTIFICATE's trust settings follow the certificate, and its bytes would not
      // hash to the certificate's fingerprint.
      if (block.label != "CERTIFICATE") {
        return tl::unexpected("PEM block " + std::to_string(block.index) + " is a " + block.label);
      }
      ders.push_back(std::move(block.der));
    }
  }
  if (ders.empty()) return tl::unexpected(std::string("no certificate"));
  std::vector<pki::Certificate> certs;
  for (const auto& der : ders) {
    auto cert = pki::parse_certificate(der);
    if (!cert) return tl::unexpected(cert.error().message);
    if (cert->sha256 != pki::sha256_hex(der)) return tl::unexpected(std::string("bytes after the certificate"));
    // The table has no columns for subjectAltName entries: such a certificate is parsed at run time.
    if (cert->alt_names_total > 0) {
      return tl::unexpected(std::to_string(cert->alt_names_total) + " subjectAltName entries (" +
                            cert->display_name() + "); the table cannot describe them");
    }
    for (const auto& field : pki::root_details_row(*cert)) {
      if (field.find_first_of("\r\n") != std::string::npos) {
        return tl::unexpected("a line break in a field (" + cert->display_name() + ")");
      }
    }
    certs.push_back(std::move(*cert));
  }
  return certs;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: " << argv[0] << " CERTIFICATE_FILE...\n";
    return 2;
  }
  std::vector<pki::Certificate> certs;
  for (int i = 1; i < argc; ++i) {
    auto described = describe_file(argv[i]);
    if (!described) {
      std::cerr << argv[i] << ": " << described.error() << "\n";
      return 1;
    }
    certs.insert(certs.end(), described->begin(), described->end());
  }
  std::sort(certs.begin(), certs.end(), [](const auto& a, const auto& b) { return a.sha256 < b.sha256; });
  certs.erase(std::unique(certs.begin(), certs.end(), [](const auto& a, const auto& b) { return a.sha256 == b.sha256; }),
              certs.end());

  const std::vector<std::string> header(pki::kRootDetailsColumns.begin(), pki::kRootDetailsColumns.end());
  std::string out = pki::csv_line(header) + "\n";
  for (const auto& cert : certs) out += pki::csv_line(pki::root_details_row(cert)) + "\n";
  // What the loader reads back must be what was written, field for field.
  auto reread = pki::load_root_details(out, "(output)");
  if (!reread) {
    std::cerr << reread.error().input << ": " << reread.error().message << "\n";
    return 1;
  }
  for (std::size_t i = 0; i < certs.size(); ++i) {
    if (reread->size() != certs.size() || pki::root_details_row((*reread)[i]) != pki::root_details_row(certs[i])) {
      std::cerr << "the row of " << certs[i].sha256 << " does not read back as written\n";
      return 1;
    }
  }
  std::cout << out;
  return 0;
}
