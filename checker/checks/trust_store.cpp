// The trust_store check: reads the sources, parses each root once, judges, and reports the facts.
#include "checks/trust_store.h"

#include <algorithm>
#include <string_view>
#include <unordered_map>

#include "checks/trust_store_rules.h"
#include "pki/known_certificates.h"
#include "pki/openssl_defaults.h"

namespace tlsdoctor::checks {
namespace trust_rules {

std::string join_limited(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size() && i < kMaxListed; ++i) {
    if (!out.empty()) out += "; ";
    out += items[i];
  }
  if (items.size() > kMaxListed) out += "; and " + std::to_string(items.size() - kMaxListed) + " more";
  return out;
}

std::string date_text(std::chrono::sys_seconds t) {
  const std::chrono::year_month_day day{std::chrono::floor<std::chrono::days>(t)};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(day.year()),
                static_cast<unsigned>(day.month()), static_cast<unsigned>(day.day()));
  return text;
}

std::string source_names(const platform::TrustStoreFacts& facts, const TrustAnchor& anchor) {
  std::vector<std::string> names;
  for (auto index : anchor.sources) {
    const auto& name = facts.sources[index].name;
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  }
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

bool is_user_added(platform::TrustSourceKind kind) {
  return kind == platform::TrustSourceKind::LocalAnchors ||
         kind == platform::TrustSourceKind::EnvironmentOverride ||
         kind == platform::TrustSourceKind::NssDatabase;
}

}  // namespace trust_rules

namespace {

using platform::TrustSourceKind;
using platform::TrustSourceStatus;

// NSS trust flags "CT,C,C": the first field is for TLS; 'C' marks a trusted CA, 'P' a trusted peer.
bool nss_trusted_for_tls(const std::string& flags) {
  const auto ssl = flags.substr(0, flags.find(','));
  return ssl.find('C') != std::string::npos || ssl.find('P') != std::string::npos;
}

nlohmann::ordered_json source_facts(const platform::TrustStoreFacts& facts, const platform::TrustSource& source) {
  nlohmann::ordered_json j;
  j["name"] = source.name;
  j["kind"] = to_string(source.kind);
  j["path"] = source.path;
  if (!source.variable.empty()) j["variable"] = source.variable;
  j["status"] = to_string(source.status);
  if (source.same_as) {
    j["same_as"] = facts.sources[*source.same_as].name;
  } else {
    j["certificates"] = source.certificates.size();
    if (!source.malformed.empty()) j["damaged_blocks"] = source.malformed.size();
    if (source.duplicates > 0) j["already_in_earlier_source"] = source.duplicates;
    if (source.is_directory) j["files_read"] = source.files_read;
    if (source.truncated) j["truncated"] = true;
  }
  j["used_by_openssl"] = source.used_by_openssl;
  if (!source.error.empty()) j["error"] = source.error;
  return j;
}

nlohmann::ordered_json judgement_facts(const platform::TrustStoreFacts& facts, const TrustAnchors& anchors,
                                       const pki::Catalogs& catalogs) {
  // Built as locals and moved in: ordered_json keeps members in a vector, so a reference to
  // one member dies when the next is added.
  nlohmann::ordered_json j;
  auto sources = nlohmann::ordered_json::array();
  auto absent = nlohmann::ordered_json::array();
  for (const auto& source : facts.sources) {
    // Other distributions' paths are absent on every machine: list them briefly.
    const bool interesting = source.status != TrustSourceStatus::Missing || source.used_by_openssl ||
                             source.kind == TrustSourceKind::EnvironmentOverride;
    if (interesting) {
      sources.push_back(source_facts(facts, source));
    } else {
      absent.push_back(source.path);
    }
  }
  j["sources"] = std::move(sources);
  j["absent"] = std::move(absent);
  auto overrides = nlohmann::ordered_json::object();
  for (const auto& variable : facts.overrides) {
    overrides[variable.name] = variable.value ? nlohmann::ordered_json(*variable.value) : nlohmann::ordered_json();
  }
  j["overrides"] = std::move(overrides);
  std::size_t in_store = 0, in_program = 0, local = 0, user = 0;
  auto outside = nlohmann::ordered_json::array();
  for (const auto& anchor : anchors.anchors) {
    in_store += anchor.in_openssl_store ? 1 : 0;
    local += anchor.added_locally ? 1 : 0;
    user += anchor.user_added ? 1 : 0;
    if (catalogs.mozilla_root(anchor.cert) != nullptr) {
      ++in_program;
    } else if (outside.size() < trust_rules::kMaxListed * 5) {
      outside.push_back({{"subject", anchor.cert.subject},
                         {"sha256", anchor.cert.sha256},
                         {"not_after", trust_rules::date_text(anchor.cert.not_after)},
                         {"sources", trust_rules::source_names(facts, anchor)}});
    }
  }
  j["roots_outside_program"] = std::move(outside);
  j["anchors"] = {{"distinct", anchors.anchors.size()},
                  {"in_openssl_store", in_store},
                  {"in_mozilla_program", in_program},
                  {"added_locally", local},
                  {"user_added", user},
                  {"distrusted_entries", anchors.distrusted.size()},
                  {"nss_without_tls_trust", anchors.nss_not_trusted}};
  j["debian_deselected"] = facts.debian_deselected;
  j["catalogs"] = {{"mozilla_roots", catalogs.mozilla_roots.entries.size()},
                   {"mozilla_source", catalogs.mozilla_roots.source},
                   {"bad_roots", catalogs.bad_roots.entries.size()},
                   {"interception_products", catalogs.interception_products.entries.size()},
                   {"essential_roots", catalogs.essential_roots.entries.size()}};
  return j;
}

std::string summary_line(const platform::TrustStoreFacts& facts, const TrustAnchors& anchors) {
  std::size_t in_store = 0, local = 0, nss = 0;
  for (const auto& anchor : anchors.anchors) {
    in_store += anchor.in_openssl_store ? 1 : 0;
    local += anchor.added_locally ? 1 : 0;
    for (auto index : anchor.sources) {
      if (facts.sources[index].kind == TrustSourceKind::NssDatabase) {
        ++nss;
        break;
      }
    }
  }
  if (in_store == 0) return "no trusted roots for OpenSSL";
  // Name the store by the source that holds its certificates (the bundle behind the default file).
  std::string store;
  for (const auto& source : facts.sources) {
    if (!source.used_by_openssl) continue;
    const auto& origin = facts.resolve(source);
    if (!origin.certificates.empty()) {
      store = origin.name;
      break;
    }
  }
  std::string out = std::to_string(in_store) + " roots" + (store.empty() ? "" : " (" + store + ")");
  if (local > 0) out += ", " + std::to_string(local) + " added locally";
  if (nss > 0) out += ", " + std::to_string(nss) + " in the user NSS database";
  return out;
}

// A root whose exact bytes are in the embedded table (Mozilla's, as Debian ships them) is copied
// from it, not decoded: OpenSSL 3.0 spends ~1.8 million instructions on each decode
// (pki/decoded_certificates.h), hashing the bytes a few tens of thousands.
tl::expected<pki::Certificate, Error> describe_root(std::span<const std::uint8_t> der) {
  if (const auto* known = pki::known_certificate(pki::sha256_hex(der))) return *known;
  return pki::parse_certificate(der);
}

}  // namespace

TrustAnchors collect_anchors(const platform::TrustStoreFacts& facts) {
  TrustAnchors result;
  // Keyed by the raw bytes themselves (they live in `facts` for the whole call): a store read
  // through its bundle, its hashed directory and the distribution's folder holds each root
  // several times over, and hashing every copy with SHA-256 cost more than parsing the roots.
  std::unordered_map<std::string_view, std::size_t> anchor_by_bytes;
  std::unordered_map<std::string, std::size_t> anchor_by_sha;  // parsed certificate SHA-256
  std::unordered_map<std::string_view, std::size_t> unparsable_by_bytes;
  std::unordered_map<std::string, bool> distrusted_seen;
  for (std::size_t index = 0; index < facts.sources.size(); ++index) {
    const auto& source = facts.sources[index];
    const auto& origin = facts.resolve(source);
    const bool alias = &origin != &source;
    if (source.kind == TrustSourceKind::Distrust) {
      for (const auto& entry : origin.certificates) {
        auto cert = pki::parse_certificate(entry.der);
        if (cert && distrusted_seen.emplace(cert->sha256, true).second) result.distrusted.push_back(*cert);
      }
      continue;
    }
    // OpenSSL rejects a whole bundle file at its first damaged block.
    const bool loads_in_openssl = source.used_by_openssl && (origin.is_directory || origin.malformed.empty());
    const bool openssl_file = source.used_by_openssl && !origin.is_directory;
    for (const auto& entry : origin.certificates) {
      if (origin.kind == TrustSourceKind::NssDatabase && !nss_trusted_for_tls(entry.nss_trust)) {
        if (!alias) ++result.nss_not_trusted;
        continue;
      }
      const std::string_view bytes(reinterpret_cast<const char*>(entry.der.data()), entry.der.size());
      if (auto bad = unparsable_by_bytes.find(bytes); bad != unparsable_by_bytes.end()) {
        result.unparsable[bad->second].in_openssl_file |= openssl_file;
        continue;
      }
      auto found = anchor_by_bytes.find(bytes);
      std::size_t at = 0;
      if (found != anchor_by_bytes.end()) {
        at = found->second;
      } else {
        auto cert = describe_root(entry.der);
        if (!cert) {
          unparsable_by_bytes.emplace(bytes, result.unparsable.size());
          result.unparsable.push_back(UnparsableCertificate{entry.file, entry.block, cert.error().message, openssl_file});
          continue;
        }
        auto same = anchor_by_sha.find(cert->sha256);
        if (same != anchor_by_sha.end()) {
          at = same->second;
        } else {
          at = result.anchors.size();
          anchor_by_sha.emplace(cert->sha256, at);
          result.anchors.push_back(TrustAnchor{std::move(*cert), {}, entry.file, false, false, false});
        }
        anchor_by_bytes.emplace(bytes, at);
      }
      auto& anchor = result.anchors[at];
      if (!alias && std::find(anchor.sources.begin(), anchor.sources.end(), index) == anchor.sources.end()) {
        anchor.sources.push_back(index);
      }
      anchor.in_openssl_store = anchor.in_openssl_store || loads_in_openssl;
      // Provenance comes from the file that holds it: SSL_CERT_FILE naming the distribution's
      // bundle does not make the distribution's roots user-added.
      anchor.added_locally = anchor.added_locally || (!alias && source.kind == TrustSourceKind::LocalAnchors);
      anchor.user_added = anchor.user_added || (!alias && trust_rules::is_user_added(source.kind));
    }
  }
  return result;
}

TrustStoreJudgement judge_trust_store(const platform::TrustStoreFacts& facts, const TrustAnchors& anchors,
                                      const pki::Catalogs& catalogs, std::chrono::sys_seconds now,
                                      std::span<const policy::ExpectedInspection> expected) {
  TrustStoreJudgement judgement;
  trust_rules::judge_store(facts, anchors, catalogs, now, judgement.findings);
  trust_rules::judge_roots(facts, anchors, catalogs, now, expected, judgement.findings);
  judgement.summary = summary_line(facts, anchors);
  judgement.facts = judgement_facts(facts, anchors, catalogs);
  return judgement;
}

CheckResult TrustStoreCheck::run(const Context& ctx) const {
  CheckResult result;
  result.id = std::string(id());
  result.title = std::string(title());
  auto catalogs = pki::load_embedded_catalogs();
  if (!catalogs) {
    result.status = CheckStatus::Error;
    result.error = "built-in catalog " + catalogs.error().input + ": " + catalogs.error().message;
    return result;
  }
  const auto defaults = pki::openssl_defaults();
  const platform::TrustStoreHints hints{defaults.cert_file, defaults.cert_dir, defaults.cert_file_env,
                                        defaults.cert_dir_env};
  // certutil runs share the run's deadline: no single program may outlast it.
  platform::Env env = ctx.env;
  env.program_timeout = std::min(env.program_timeout, ctx.deadline.remaining());
  const auto facts = platform::read_trust_store(env, hints);
  const auto anchors = collect_anchors(facts);
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  auto judgement = judge_trust_store(facts, anchors, *catalogs, now, ctx.policy.expected_inspection);
  result.findings = std::move(judgement.findings);
  result.summary = std::move(judgement.summary);
  result.facts["openssl_defaults"] = {{"cert_file", defaults.cert_file},
                                      {"cert_dir", defaults.cert_dir},
                                      {"cert_file_variable", defaults.cert_file_env},
                                      {"cert_dir_variable", defaults.cert_dir_env}};
  for (auto& [key, value] : judgement.facts.items()) result.facts[key] = std::move(value);
  result.status = status_from_findings(result.findings);
  return result;
}

}  // namespace tlsdoctor::checks
