// Walks two reports side by side and keeps the differences a support engineer acts on.
#include "report/report_diff.h"

#include <map>
#include <set>

namespace tlsdoctor::report {
namespace {

using Json = nlohmann::json;

// A value as a short string ("" for null or absent).
std::string text(const Json& j) {
  if (j.is_null()) return "";
  if (j.is_string()) return j.get<std::string>();
  return j.dump();
}

const Json& at(const Json& j, std::initializer_list<const char*> path) {
  static const Json kNull;
  const Json* cur = &j;
  for (const char* key : path) {
    if (!cur->is_object() || !cur->contains(key)) return kNull;
    cur = &(*cur)[key];
  }
  return *cur;
}

void compare(std::vector<Difference>& out, const std::string& area, const std::string& item, const Json& a,
             const Json& b) {
  if (text(a) != text(b)) out.push_back({area, item, text(a), text(b)});
}

// Check id -> the check object.
std::map<std::string, const Json*> checks_of(const Json& report) {
  std::map<std::string, const Json*> out;
  const auto& checks = at(report, {"checks"});
  if (!checks.is_array()) return out;
  for (const auto& c : checks) out[text(at(c, {"id"}))] = &c;
  return out;
}

// "check: finding id" -> its title, for every finding.
std::map<std::string, std::string> findings_of(const Json& report) {
  std::map<std::string, std::string> out;
  for (const auto& [id, check] : checks_of(report)) {
    const auto& findings = at(*check, {"findings"});
    if (!findings.is_array()) continue;
    for (const auto& f : findings) {
      // Several targets can give the same id: the target (when the evidence names one) and
      // then a count keep each its own entry.
      std::string key = text(at(f, {"id"})) + " (" + id + ")";
      const auto& target = at(f, {"evidence", "target"});
      if (!target.is_null()) key += " " + text(target);
      const std::string base = key;
      for (int n = 2; out.count(key) != 0; ++n) key = base + " #" + std::to_string(n);
      out[key] = text(at(f, {"severity"})) + ": " + text(at(f, {"title"}));
    }
  }
  return out;
}

// SHA-256 -> subject of each trusted root outside the reference program.
std::map<std::string, std::string> outside_roots(const Json& report) {
  std::map<std::string, std::string> out;
  const auto checks = checks_of(report);
  const auto it = checks.find("trust_store");
  if (it == checks.end()) return out;
  const auto& roots = at(*it->second, {"facts", "roots_outside_program"});
  if (!roots.is_array()) return out;
  for (const auto& r : roots) out[text(at(r, {"sha256"}))] = text(at(r, {"subject"}));
  return out;
}

// "target [label]" -> its outcome ("completed" or the failure class).
std::map<std::string, std::string> probe_outcomes(const Json& report) {
  std::map<std::string, std::string> out;
  const auto& probes = at(report, {"probes"});
  if (!probes.is_array()) return out;
  for (const auto& p : probes) {
    const std::string failure = text(at(p, {"failure"}));
    out[text(at(p, {"target"})) + " [" + text(at(p, {"label"})) + "]"] =
        failure.empty() || failure == "none" ? "completed" : failure;
  }
  return out;
}

// Both sides of two keyed maps: changed values, and keys present on one side only.
void compare_maps(std::vector<Difference>& out, const std::string& area, const std::map<std::string, std::string>& a,
                  const std::map<std::string, std::string>& b) {
  std::set<std::string> keys;
  for (const auto& [k, v] : a) keys.insert(k);
  for (const auto& [k, v] : b) keys.insert(k);
  for (const auto& k : keys) {
    const auto ia = a.find(k);
    const auto ib = b.find(k);
    const std::string va = ia == a.end() ? "" : ia->second;
    const std::string vb = ib == b.end() ? "" : ib->second;
    if (va != vb) out.push_back({area, k, va, vb});
  }
}

const Json& check_field(const std::map<std::string, const Json*>& checks, const std::string& id,
                        std::initializer_list<const char*> path) {
  static const Json kNull;
  const auto it = checks.find(id);
  return it == checks.end() ? kNull : at(*it->second, path);
}

}  // namespace

std::vector<Difference> diff_reports(const Json& a, const Json& b) {
  std::vector<Difference> out;
  compare(out, "verdict", "layer", at(a, {"verdict", "layer"}), at(b, {"verdict", "layer"}));
  compare(out, "verdict", "cause", at(a, {"verdict", "cause"}), at(b, {"verdict", "cause"}));

  const auto checks_a = checks_of(a);
  const auto checks_b = checks_of(b);
  std::map<std::string, std::string> status_a;
  std::map<std::string, std::string> status_b;
  for (const auto& [id, c] : checks_a) status_a[id] = text(at(*c, {"status"}));
  for (const auto& [id, c] : checks_b) status_b[id] = text(at(*c, {"status"}));
  compare_maps(out, "check", status_a, status_b);
  compare_maps(out, "finding", findings_of(a), findings_of(b));

  compare_maps(out, "root", outside_roots(a), outside_roots(b));
  compare(out, "root", "trusted roots (count)", check_field(checks_a, "trust_store", {"facts", "anchors", "distinct"}),
          check_field(checks_b, "trust_store", {"facts", "anchors", "distinct"}));

  compare(out, "proxy", "route", check_field(checks_a, "proxy", {"summary"}), check_field(checks_b, "proxy", {"summary"}));
  compare(out, "policy", "file", at(a, {"run", "options", "policy"}), at(b, {"run", "options", "policy"}));
  compare(out, "reference", "source", at(a, {"reference", "source"}), at(b, {"reference", "source"}));
  compare(out, "reference", "signature", at(a, {"reference", "signature"}), at(b, {"reference", "signature"}));

  for (const char* field : {"chain_matches", "client_hello_matches", "leaf_issuer_seen", "sni_received"}) {
    compare(out, "path", std::string("interception ") + field, check_field(checks_a, "interception", {"facts", field}),
            check_field(checks_b, "interception", {"facts", field}));
  }
  compare(out, "path", "protocols on the path", check_field(checks_a, "path_protocols", {"summary"}),
          check_field(checks_b, "path_protocols", {"summary"}));
  compare_maps(out, "probe", probe_outcomes(a), probe_outcomes(b));

  compare(out, "system", "os", at(a, {"system", "os"}), at(b, {"system", "os"}));
  compare(out, "system", "version", at(a, {"system", "version"}), at(b, {"system", "version"}));
  compare(out, "system", "tlsdoctor", at(a, {"tool", "version"}), at(b, {"tool", "version"}));
  return out;
}

}  // namespace tlsdoctor::report
