// Trust store rules about individual roots: validity, key strength, provenance, known-bad roots.
#include <map>
#include <optional>

#include "checks/expected_inspection.h"
#include "checks/trust_store_rules.h"

namespace tlsdoctor::checks::trust_rules {
namespace {

// RSA keys under 2048 bits have been disallowed for publicly trusted certificates since the
// CA/Browser Forum Baseline Requirements of 2013 (and NIST SP 800-131A): a root with one is
// either ancient or home-made, and weak enough to be factored by a determined attacker.
constexpr int kMinRsaBits = 2048;

std::string labelled(const TrustAnchor& anchor, const std::string& detail) {
  return anchor.cert.display_name() + " (" + detail + ")";
}

Evidence ev(std::string key, std::string value) { return Evidence{std::move(key), std::move(value)}; }

void expired(const platform::TrustStoreFacts& facts, const TrustAnchors& anchors, const pki::Catalogs& catalogs,
             std::chrono::sys_seconds now, std::vector<Finding>& out) {
  std::vector<std::string> names;
  std::vector<std::string> relied_on;  // expired roots someone added (not shipped by the program)
  for (const auto& anchor : anchors.anchors) {
    if (anchor.cert.not_after >= now) continue;
    const std::string item = labelled(anchor, "expired " + date_text(anchor.cert.not_after) + ", in " +
                                                  source_names(facts, anchor));
    names.push_back(item);
    if (catalogs.mozilla_root(anchor.cert) == nullptr) relied_on.push_back(item);
  }
  if (names.empty()) return;
  Finding f{FindingId::TrustRootExpired, Severity::Info, "", {}, ""};
  f.evidence.push_back(ev("count", std::to_string(names.size())));
  f.evidence.push_back(ev("roots", join_limited(names)));
  if (relied_on.empty()) {
    // Shipped roots past their end date validate nothing; they are harmless leftovers.
    f.title = std::to_string(names.size()) + " trusted root(s) have expired (shipped by the distribution; harmless)";
  } else {
    f.severity = Severity::Warn;
    f.title = std::to_string(relied_on.size()) + " added root certificate(s) have expired";
    f.fix = "Replace the expired root with its current version from whoever issued it (or remove it: "
            "delete the file and run `sudo update-ca-certificates`, or `sudo update-ca-trust` on RHEL/Fedora).";
  }
  out.push_back(std::move(f));
}

void not_yet_valid(const platform::TrustStoreFacts& facts, const TrustAnchors& anchors,
                   std::chrono::sys_seconds now, std::vector<Finding>& out) {
  std::vector<std::string> names;
  for (const auto& anchor : anchors.anchors) {
    if (anchor.cert.not_before <= now) continue;
    names.push_back(labelled(anchor, "valid from " + date_text(anchor.cert.not_before) + ", in " +
                                         source_names(facts, anchor)));
  }
  if (names.empty()) return;
  out.push_back(Finding{FindingId::TrustRootNotYetValid, Severity::Warn,
                        std::to_string(names.size()) + " trusted root(s) are not valid yet",
                        {ev("count", std::to_string(names.size())), ev("roots", join_limited(names)),
                         ev("now", date_text(now))},
                        "Check the system clock first: a clock running behind makes new roots look "
                        "not yet valid (`timedatectl` shows it)."});
}

void weak_keys(const platform::TrustStoreFacts& facts, const TrustAnchors& anchors, std::vector<Finding>& out) {
  std::vector<std::string> names;
  for (const auto& anchor : anchors.anchors) {
    if (anchor.cert.key_type != pki::KeyType::Rsa || anchor.cert.key_bits >= kMinRsaBits) continue;
    names.push_back(labelled(anchor, "RSA " + std::to_string(anchor.cert.key_bits) + " bits, in " +
                                         source_names(facts, anchor)));
  }
  if (names.empty()) return;
  out.push_back(Finding{FindingId::TrustRootWeakKey, Severity::Warn,
                        std::to_string(names.size()) + " trusted root(s) use an RSA key shorter than 2048 bits",
                        {ev("count", std::to_string(names.size())), ev("roots", join_limited(names)),
                         ev("minimum_bits", std::to_string(kMinRsaBits))},
                        "Remove the weak root from the trust store (delete its file and run "
                        "`sudo update-ca-certificates`, or `sudo update-ca-trust` on RHEL/Fedora)."});
}

void nonstandard(const platform::TrustStoreFacts& facts, const TrustAnchors& anchors, const pki::Catalogs& catalogs,
                 std::span<const policy::ExpectedInspection> expected, std::vector<Finding>& out) {
  std::vector<std::string> names;
  bool any_user_added = false;
  for (const auto& anchor : anchors.anchors) {
    if (catalogs.mozilla_root(anchor.cert) != nullptr) continue;
    if (match_expected_root(anchor.cert, expected)) continue;  // the organisation's, as its policy says
    // The full subject only when it says more than the name already does.
    const bool subject_adds = anchor.cert.subject != "CN=" + anchor.cert.display_name();
    names.push_back(labelled(anchor, (subject_adds ? anchor.cert.subject + ", in " : "in ") + source_names(facts, anchor)));
    any_user_added = any_user_added || anchor.user_added;
  }
  if (names.empty()) return;
  Finding f{FindingId::TrustRootNonstandard, Severity::Warn,
            std::to_string(names.size()) + " trusted root(s) are not in Mozilla's root program",
            {ev("count", std::to_string(names.size())), ev("roots", join_limited(names)),
             ev("reference", catalogs.mozilla_roots.source)},
            "Make sure you know why each of these roots is trusted (your company's or your security "
            "software's); remove the ones you do not recognise."};
  if (!any_user_added) {
    // Only the distribution's own bundle holds them: its list differs from the catalog's (an
    // older or newer release of the program), which is information, not a fault.
    f.severity = Severity::Info;
    f.title = std::to_string(names.size()) + " root(s) shipped by the distribution are not in this tool's copy of Mozilla's program";
    f.fix.clear();
  }
  out.push_back(std::move(f));
}

void bad_roots(const platform::TrustStoreFacts& facts, const TrustAnchors& anchors, const pki::Catalogs& catalogs,
               std::vector<Finding>& out) {
  for (const auto& anchor : anchors.anchors) {
    const auto* bad = catalogs.bad_root(anchor.cert);
    if (bad == nullptr) continue;
    const bool leaked = bad->reason == pki::BadRootReason::LeakedKey;
    const bool interception = bad->reason == pki::BadRootReason::Interception;
    Finding f{leaked ? FindingId::TrustRootLeakedKey : FindingId::TrustRootDistrusted, Severity::Fail,
              leaked         ? "A trusted root's private key is public: anyone can impersonate any site (" + bad->name + ")"
              : interception ? "A root made to intercept TLS, which browsers block, is trusted here (" + bad->name + ")"
                             : "A root that browsers distrust is trusted here (" + bad->name + ")",
              {ev("root", anchor.cert.subject), ev("known_as", bad->name), ev("sha256", anchor.cert.sha256),
               ev("found_in", source_names(facts, anchor)), ev("file", anchor.file), ev("catalog_source", bad->source)},
              "Remove this root now: delete " + anchor.file +
                  " (then run `sudo update-ca-certificates`, or `sudo update-ca-trust` on RHEL/Fedora) and "
                  "uninstall the software that installed it."};
    out.push_back(std::move(f));
  }
  // A root that the machine's own distrust list names but that is still trusted somewhere:
  // the list was edited without regenerating the bundle.
  for (const auto& anchor : anchors.anchors) {
    if (catalogs.bad_root(anchor.cert) != nullptr) continue;
    for (const auto& blocked : anchors.distrusted) {
      if (blocked.sha256 != anchor.cert.sha256 && blocked.spki_sha256 != anchor.cert.spki_sha256) continue;
      out.push_back(Finding{FindingId::TrustRootDistrusted, Severity::Fail,
                            "A root this machine's distrust list blocks is still trusted (" +
                                anchor.cert.display_name() + ")",
                            {ev("root", anchor.cert.subject), ev("sha256", anchor.cert.sha256),
                             ev("found_in", source_names(facts, anchor))},
                            "Regenerate the trust store so the distrust list takes effect: "
                            "`sudo update-ca-certificates --fresh` (Debian/Ubuntu) or `sudo update-ca-trust` "
                            "(RHEL/Fedora)."});
      break;
    }
  }
}

void interception(const platform::TrustStoreFacts& facts, const TrustAnchors& anchors, const pki::Catalogs& catalogs,
                  std::span<const policy::ExpectedInspection> expected, std::vector<Finding>& out) {
  std::map<const pki::InterceptionProduct*, std::vector<const TrustAnchor*>> by_product;
  std::vector<const pki::InterceptionProduct*> order;
  for (const auto& anchor : anchors.anchors) {
    if (catalogs.mozilla_root(anchor.cert) != nullptr) continue;  // a program root is not a product's
    const auto* product = catalogs.interception_product(anchor.cert);
    if (product == nullptr) continue;
    if (by_product[product].empty()) order.push_back(product);
    by_product[product].push_back(&anchor);
  }
  for (const auto* product : order) {
    const auto& found = by_product[product];
    std::vector<std::string> roots;
    for (const auto* anchor : found) roots.push_back(labelled(*anchor, "in " + source_names(facts, *anchor)));
    std::vector<Evidence> evidence{ev("product", product->product), ev("vendor", product->vendor),
                                   ev("kind", std::string(to_string(product->kind))), ev("roots", join_limited(roots)),
                                   ev("issuer", found.front()->cert.issuer), ev("file", found.front()->file)};
    // Expected only when the policy names every one of the product's roots found here.
    std::optional<InspectionMatch> match;
    for (const auto* anchor : found) {
      match = match_expected_root(anchor->cert, expected);
      if (!match) break;
    }
    if (match) {
      evidence.push_back(ev("expected_inspection", match->inspection->name));
      evidence.push_back(ev("matched_by", match->matched_by));
      out.push_back(Finding{FindingId::TrustRootInterception, Severity::Info,
                            "A root of " + product->product + " is trusted, as the policy expects (" +
                                match->inspection->name + ")",
                            std::move(evidence), ""});
      continue;
    }
    out.push_back(Finding{FindingId::TrustRootInterception, Severity::Warn,
                          "A root of " + product->product + " (" + std::string(to_string(product->kind)) +
                              ") is trusted: it can read and alter this machine's TLS traffic",
                          std::move(evidence),
                          "If your organisation did not install " + product->product +
                              " on purpose, uninstall it and remove its root; if it did, this is expected "
                              "(an IT policy can mark it so)."});
  }
}

}  // namespace

void judge_roots(const platform::TrustStoreFacts& facts, const TrustAnchors& anchors, const pki::Catalogs& catalogs,
                 std::chrono::sys_seconds now, std::span<const policy::ExpectedInspection> expected,
                 std::vector<Finding>& out) {
  bad_roots(facts, anchors, catalogs, out);
  interception(facts, anchors, catalogs, expected, out);
  expired(facts, anchors, catalogs, now, out);
  not_yet_valid(facts, anchors, now, out);
  weak_keys(facts, anchors, out);
  nonstandard(facts, anchors, catalogs, expected, out);
}

}  // namespace tlsdoctor::checks::trust_rules
