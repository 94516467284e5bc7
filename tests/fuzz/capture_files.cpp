// The corpus capture's files: a policy for the lab, proxy settings, this machine's configuration, trust bundles.
#include <filesystem>
#include <tuple>

#include <nlohmann/json.hpp>

#include "capture_support.h"
#include "core/deadline.h"
#include "lab/cert_factory.h"
#include "lab/subprocess.h"
#include "platform_file_kind.h"
#include "pki/certificate.h"
#include "proxy/pac_eval.h"

namespace tlsdoctor::fuzz::capture {

// A policy for this lab (reference, target, the lab intermediate as expected inspection) and
// the documented example.
void capture_policies(const Lab& l, Corpus& corpus) {
  const auto intermediate = pki::parse_certificate(lab::lab_pki().intermediate.cert_der());
  if (!intermediate) throw CaptureError{"lab intermediate: " + intermediate.error().message};
  auto key_text = read_file(l.reference.public_key);
  while (!key_text.empty() && (key_text.back() == '\n' || key_text.back() == '\r')) key_text.pop_back();
  const nlohmann::json policy = {
      {"schema", "tlsdoctor.policy/1"},
      {"reference", {{"url", l.reference.url()}, {"keys", {key_text}}}},
      {"targets", {l.site_url(*l.good)}},
      {"expected_inspection",
       {{{"name", "Lab gateway"}, {"issuers", {intermediate->subject_cn}}, {"spki_sha256", {intermediate->spki_sha256}}}}},
      {"clock", {{"tolerance_seconds", 300}, {"time_sources", {l.site_url(*l.good)}}}},
      {"skip_checks", {"captive_portal"}},
      {"captive_url", l.reference.captive_url().empty() ? "http://127.0.0.1/" : l.reference.captive_url()},
      {"report", {{"path", "/var/log/tlsdoctor/report.json"}, {"format", "jsonl"}}}};
  corpus.add("policy", "lab-policy", policy.dump(2));
  const std::string doc = read_file(fs::path(TLSDOCTOR_SOURCE_DIR) / "docs" / "policy.md");
  const auto start = doc.find("```json\n");
  const auto end = start == std::string::npos ? start : doc.find("```", start + 8);
  if (end != std::string::npos) corpus.add("policy", "documented-example", doc.substr(start + 8, end - start - 8));
}

// Proxy settings around the lab: URLs with and without credentials, a no_proxy list, a PAC
// answer pacparser computed, and environment variables as a shell would hold them.
void capture_proxy_settings(const Lab& l, Corpus& corpus) {
  const std::string script =
      "function FindProxyForURL(url, host) {\n"
      "  if (isPlainHostName(host) || dnsDomainIs(host, \".tlsdoctor.test\")) return \"DIRECT\";\n"
      "  return \"PROXY 127.0.0.1:3128; SOCKS5 127.0.0.1:1080; DIRECT\";\n}\n";
  const auto answer = proxy::evaluate_pac(script, "https://example.org/", "example.org",
                                          Deadline::after(std::chrono::seconds(5)));
  if (!answer) throw CaptureError{"pac evaluation failed"};
  const std::string site = l.site_url(*l.good) + "/";
  corpus.add("proxy", "credentials-and-env",
             "http://fuzz:secret@127.0.0.1:3128\n" + site + "\nlocalhost,127.0.0.1,.tlsdoctor.test,10.0.0.0/8\n" +
                 *answer + "\nhttps_proxy=http://127.0.0.1:3128\nno_proxy=localhost,.corp.example\n");
  corpus.add("proxy", "ipv6-socks",
             "socks5h://[::1]:1080\nhttps://[2001:db8::1]:8443/\n*.corp, ::1, fd00::/8 host:8080\n" + *answer +
                 "\nALL_PROXY=socks5h://[::1]:1080\nNO_PROXY=*\n");
}

// This machine's configuration files (the fixtures' copies where it has none): the first byte
// picks the platform_files target's reader.
void capture_platform_files(Corpus& corpus) {
  using fuzz::PlatformFile;
  const fs::path fixtures = lab::fixtures_dir();
  const fs::path debian = fixtures / "sysroot-debian";
  const fs::path rhel = fixtures / "sysroot-rhel-legacy";
  const std::vector<std::tuple<PlatformFile, std::string, std::vector<fs::path>>> files = {
      {PlatformFile::Hosts, "hosts", {"/etc/hosts"}},
      {PlatformFile::ResolvConf, "resolv.conf", {"/etc/resolv.conf"}},
      {PlatformFile::Environment, "environment", {"/etc/environment"}},
      {PlatformFile::Tzif, "tzif-berlin", {"/usr/share/zoneinfo/Europe/Berlin", debian / "usr/share/zoneinfo/Europe/Berlin"}},
      {PlatformFile::Tzif, "tzif-new-york", {"/usr/share/zoneinfo/America/New_York"}},
      {PlatformFile::OpenSslConf, "openssl.cnf", {"/etc/ssl/openssl.cnf"}},
      {PlatformFile::OpenSslConf, "openssl-rhel", {rhel / "etc/pki/tls/openssl.cnf"}},
      {PlatformFile::GnuTls, "gnutls", {"/etc/gnutls/config", rhel / "etc/crypto-policies/back-ends/gnutls.config"}},
      {PlatformFile::JavaSecurity, "java.security",
       {"/etc/java-17-openjdk/security/java.security", debian / "etc/java-17-openjdk/security/java.security"}},
      {PlatformFile::NssAndCryptoPolicies, "nss", {rhel / "etc/crypto-policies/back-ends/nss.config"}},
      {PlatformFile::NssAndCryptoPolicies, "crypto-policies", {rhel / "etc/crypto-policies/config"}},
      {PlatformFile::ChromePolicy, "chrome-policy", {debian / "etc/opt/chrome/policies/managed/tls.json"}},
      {PlatformFile::FirefoxPolicy, "firefox-policy", {debian / "etc/firefox/policies/policies.json"}},
      {PlatformFile::OsRelease, "os-release", {"/etc/os-release", "/usr/lib/os-release"}},
      {PlatformFile::NtpKeywords, "chrony.conf", {"/etc/chrony/chrony.conf", rhel / "etc/chrony.conf"}},
      {PlatformFile::Timesyncd, "timesyncd.conf", {"/etc/systemd/timesyncd.conf", debian / "etc/systemd/timesyncd.conf"}}};
  const auto seed = [](PlatformFile kind, std::string_view bytes) {
    return std::string(1, static_cast<char>(kind)) + std::string(bytes);
  };
  // certutil's listing of a database holding the lab's root, as the NSS reader runs it.
  if (auto certutil = lab::find_on_path("certutil")) {
    auto db = need(lab::TempTree::create("tlsdoctor-corpus-nss-"), "NSS directory");
    const auto root = (db.path() / "root.pem").string();
    need(lab::write_pem_bundle(root, {&lab::lab_pki().root}).map([] { return 0; }), "lab root");
    const std::string dir = "sql:" + db.path().string();
    lab::run_process({*certutil, "-N", "-d", dir, "--empty-password"});
    lab::run_process({*certutil, "-A", "-d", dir, "-n", "tlsdoctor lab root", "-t", "C,,", "-i", root});
    const auto listed = lab::run_process({*certutil, "-L", "-d", dir});
    if (listed.exit_code == 0) corpus.add("platform_files", "certutil-list", seed(PlatformFile::CertutilList, listed.out));
  }
  for (const auto& [kind, name, candidates] : files) {
    for (const auto& path : candidates) {
      std::error_code ec;
      if (!fs::is_regular_file(path, ec)) continue;
      auto bytes = read_file(path);
      if (kind != PlatformFile::Tzif && bytes.size() > kMaxConfigSeedBytes) {
        const auto line_end = bytes.rfind('\n', kMaxConfigSeedBytes);
        bytes.resize(line_end == std::string::npos ? kMaxConfigSeedBytes : line_end + 1);
      }
      corpus.add("platform_files", name, seed(kind, bytes));
      if (kind == PlatformFile::Tzif) {
        // The TZif footer is the zone's POSIX TZ rule: the posix_tz reader's input.
        const auto start = bytes.size() < 2 ? std::string::npos : bytes.rfind('\n', bytes.size() - 2);
        auto footer = start == std::string::npos ? std::string() : bytes.substr(start + 1);
        while (!footer.empty() && footer.back() == '\n') footer.pop_back();
        corpus.add("platform_files", name + "-rule", seed(PlatformFile::PosixTz, footer));
      }
      break;
    }
  }
}

// Trust bundles: the lab's chain in PEM, its leaf in DER, a weak leaf, this machine's bundle head.
void capture_bundles(Corpus& corpus) {
  const auto& pki = lab::lab_pki();
  corpus.add("cert_bundle", "lab-chain.pem", lab::pem_bundle({&pki.root, &pki.intermediate}));
  corpus.add("cert_bundle", "lab-intermediate.der", pki.intermediate.cert_der());
  lab::CertSpec weak;
  weak.common_name = "weak.lab.tlsdoctor.test";
  weak.key = lab::KeySpec::rsa(1024);
  weak.dns_names = {"weak.lab.tlsdoctor.test", "*.weak.lab.tlsdoctor.test"};
  weak.ip_addresses = {"127.0.0.1", "::1"};
  auto leaf = need(lab::make_leaf(weak, pki.intermediate), "weak leaf");
  corpus.add("cert_bundle", "weak-leaf.pem", leaf.cert_pem());
  // A name an issuer wrote in Latin-1 (dNSName is IA5String; OpenSSL passes the bytes on).
  lab::CertSpec latin1;
  latin1.common_name = "cafe.lab.tlsdoctor.test";
  latin1.dns_names = {"caf\xE9.lab.tlsdoctor.test"};
  auto latin1_leaf = need(lab::make_leaf(latin1, pki.intermediate), "Latin-1 leaf");
  corpus.add("cert_bundle", "latin1-san-leaf.pem", latin1_leaf.cert_pem());
  const auto system = read_file("/etc/ssl/certs/ca-certificates.crt");
  // The first few certificates with the comments between them, as the bundle holds them.
  std::size_t end = 0;
  for (int i = 0; i < 3 && end != std::string::npos; ++i) {
    end = system.find("-----END CERTIFICATE-----", end);
    if (end != std::string::npos) end += 26;
  }
  if (end != std::string::npos && end > 0) corpus.add("cert_bundle", "system-bundle-head.pem", system.substr(0, end));
}

}  // namespace tlsdoctor::fuzz::capture
