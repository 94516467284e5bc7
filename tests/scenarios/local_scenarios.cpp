// Scenarios whose fault is this machine's: its clock, its OpenSSL configuration, its trust store.
#include <filesystem>

#include "lab/cert_factory.h"
#include "lab/scenario_pki.h"
#include "pki/certificate.h"
#include "scenarios/scenario_sites.h"

namespace tlsdoctor::scenarios {
namespace {

using lab::Behaviour;

// faketime preloads libfaketime ahead of the ASan runtime in a sanitizer build: harmless there.
constexpr const char* kAsanWithFaketime = "detect_leaks=1:abort_on_error=1:verify_asan_link_order=0";

// A healthy lab site on nginx with `identity_of`'s certificate and `protocols`.
tl::expected<Staged, std::string> site(Behaviour identity_of = Behaviour::Good,
                                       const std::string& protocols = "TLSv1.2 TLSv1.3") {
  return targeting(one_site(lab_site(identity_of, [&](lab::NginxSite& s) { s.protocols = protocols; })));
}

// The site, with tlsdoctor under faketime at `offset` (libfaketime's "+1095d" form).
tl::expected<Staged, std::string> under_faketime(const std::string& offset) {
  auto staged = site();
  if (!staged) return staged;
  staged->prefix = {"faketime", "-f", offset};
  staged->env["ASAN_OPTIONS"] = kAsanWithFaketime;
  return staged;
}

// An OPENSSL_CONF whose system_default section holds `lines`.
tl::expected<std::string, std::string> openssl_conf(const Workspace& w, const std::string& lines) {
  const auto path = w.dir / "openssl.cnf";
  const std::string text =
      "openssl_conf = tlsdoctor_scenario\n[tlsdoctor_scenario]\nssl_conf = ssl_sect\n[ssl_sect]\n"
      "system_default = system_default_sect\n[system_default_sect]\n" + lines;
  if (!lab::write_file(path, text)) return tl::unexpected("cannot write " + path.string());
  return path.string();
}

tl::expected<Staged, std::string> with_openssl_conf(const Workspace& w, const std::string& lines,
                                                    tl::expected<Staged, std::string> staged) {
  if (!staged) return staged;
  auto conf = openssl_conf(w, lines);
  if (!conf) return tl::unexpected(conf.error());
  staged->env["OPENSSL_CONF"] = *conf;
  return staged;
}

}  // namespace

std::vector<Scenario> local_scenarios() {
  return {
      {"clock-years-ahead", "this machine's clock is three years ahead (faketime)", {"local", "clock.skew", 1},
       {"faketime", "nginx"}, [](const Workspace&) { return under_faketime("+1095d"); }},
      {"clock-years-behind", "this machine's clock is three years behind, before tlsdoctor was built",
       {"local", "clock.before_build", 1}, {"faketime", "nginx"},
       [](const Workspace&) { return under_faketime("-1095d"); }},
      {"clock-zone-offset", "the clock is off by exactly India's UTC offset, with TZ=Asia/Kolkata",
       {"local", "clock.timezone_mismatch", 1}, {"faketime", "nginx"},
       [](const Workspace&) {
         auto staged = under_faketime("+330m");
         if (staged) staged->env["TZ"] = "Asia/Kolkata";
         return staged;
       }},
      {"openssl-min-tls13", "OPENSSL_CONF sets MinProtocol = TLSv1.3; the site speaks only TLS 1.2",
       {"local", "local.protocol_disabled", 1}, {"nginx"},
       [](const Workspace& w) {
         return with_openssl_conf(w, "MinProtocol = TLSv1.3\n", site(Behaviour::Good, "TLSv1.2"));
       }},
      {"openssl-seclevel3", "OPENSSL_CONF sets SECLEVEL 3; the site's key is RSA-2048",
       {"local", "local.seclevel_high", 1}, {"nginx"},
       [](const Workspace& w) {
         return with_openssl_conf(w, "CipherString = DEFAULT@SECLEVEL=3\n", site(Behaviour::WeakDh));
       }},
      {"openssl-no-shared-cipher", "OPENSSL_CONF allows only ciphers the site does not offer",
       {"local", "local.cipher_policy", 1}, {"nginx"},
       [](const Workspace& w) {
         return with_openssl_conf(w, "CipherString = DHE-RSA-AES256-SHA256\nCiphersuites = TLS_AES_128_CCM_SHA256\n",
                                  site());
       }},
      {"trust-root-missing", "the trust store lacks the root the site chains to; the reference has it",
       {"local", "trust.root_missing", 1}, {"nginx"},
       [](const Workspace&) {
         auto staged = site();
         if (staged) staged->trust_lab_root = false;
         return staged;
       }},
      {"expected-inspection-root-missing",
       "a gateway's chain signed by the intermediate key the policy pins, its root not installed here",
       {"local", "trust.root_missing", 1}, {"nginx"},
       [](const Workspace& w) -> tl::expected<Staged, std::string> {
         auto staged = targeting(one_site(lab_site(Behaviour::UntrustedRoot)));
         if (!staged) return staged;
         lab::ScenarioOptions options;
         options.behaviour = Behaviour::UntrustedRoot;
         auto identity = lab::default_identity(options);
         if (!identity || identity->chain.empty()) return tl::unexpected(std::string("no gateway intermediate"));
         const auto intermediate = pki::parse_certificate(identity->chain.front().cert_der());
         if (!intermediate) return tl::unexpected(intermediate.error().message);
         const auto policy = w.dir / "policy.json";
         if (!lab::write_file(policy, R"({"expected_inspection": [{"name": "Example Corp gateway", "spki_sha256": [")" +
                                          intermediate->spki_sha256 + R"("]}]})")) {
           return tl::unexpected("cannot write " + policy.string());
         }
         staged->args.insert(staged->args.end(), {"--policy", policy.string()});
         return staged;
       }},
      {"trust-leaked-key-root", "the trust store holds Superfish's root, whose private key is public",
       {"local", "trust.root_leaked_key", 1}, {},
       [](const Workspace& w) -> tl::expected<Staged, std::string> {
         const auto bundle = w.dir / "with-superfish.pem";
         const std::string leaked =
             lab::read_text_file(std::string(TLSDOCTOR_FIXTURES_DIR) + "/leaked-roots/superfish.pem");
         if (leaked.empty()) return tl::unexpected(std::string("the Superfish fixture is missing"));
         if (!lab::write_file(bundle, lab::read_text_file(kSystemBundle) + leaked)) {
           return tl::unexpected("cannot write " + bundle.string());
         }
         Staged staged;
         staged.env["SSL_CERT_FILE"] = bundle.string();
         return staged;
       }},
      {"trust-store-empty", "SSL_CERT_FILE and SSL_CERT_DIR point at an empty store (the override is the cause)",
       {"local", "trust.override_broken", 1},
       {},
       [](const Workspace& w) -> tl::expected<Staged, std::string> {
         const auto file = w.dir / "empty.pem";
         const auto dir = w.dir / "empty-certs";
         std::filesystem::create_directories(dir);
         if (!lab::write_file(file, "")) return tl::unexpected("cannot write " + file.string());
         Staged staged;
         staged.env["SSL_CERT_FILE"] = file.string();
         staged.env["SSL_CERT_DIR"] = dir.string();
         return staged;
       }},
  };
}

}  // namespace tlsdoctor::scenarios
