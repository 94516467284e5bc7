// Reads a snapshot's default probe object and sets it beside a fresh handshake of the same target.
#include "refclient/snapshot_comparison.h"

#include <fmt/format.h>

#include "pki/certificate.h"

namespace tlsdoctor::refclient {
namespace {

// A field of a recorded probe object; "" or false when it is absent or of another type (a
// snapshot is a file someone hands over: any field may hold anything, and nothing here throws).
std::string text_field(const nlohmann::json& object, const char* key) {
  if (!object.is_object()) return "";
  const auto found = object.find(key);
  return found != object.end() && found->is_string() ? found->get<std::string>() : "";
}

bool flag_field(const nlohmann::json& object, const char* key) {
  if (!object.is_object()) return false;
  const auto found = object.find(key);
  return found != object.end() && found->is_boolean() && found->get<bool>();
}

// The recorded probe with the default ClientHello (the first one, by how observations are made).
const nlohmann::json* default_probe(const reference::ObserveAnswer& recorded) {
  for (const auto& probe : recorded.probes) {
    if (text_field(probe, "label") == "default") return &probe;
  }
  return nullptr;
}

std::string text_at(const nlohmann::json& chain, std::size_t index, const char* key) {
  if (!chain.is_array() || chain.size() <= index) return "";
  return text_field(chain[index], key);
}

}  // namespace

tls::ProbeSpec snapshot_probe_spec(const reference::ObserveAnswer& recorded, std::vector<std::string> addresses) {
  tls::ProbeSpec spec;
  spec.label = "snapshot-compare";
  spec.host = recorded.target.host;
  spec.port = recorded.target.port;
  spec.addresses = std::move(addresses);
  if (recorded.target.sni) {
    spec.sni_mode = tls::SniMode::Name;
    spec.sni_name = *recorded.target.sni;
  }
  return spec;
}

SnapshotComparison compare_with_snapshot(const reference::ObserveAnswer& recorded, const tls::Handshake& seen) {
  SnapshotComparison out;
  out.target = recorded.target.host.find(':') != std::string::npos
                   ? fmt::format("[{}]:{}", recorded.target.host, recorded.target.port)
                   : fmt::format("{}:{}", recorded.target.host, recorded.target.port);
  const nlohmann::json* probe = default_probe(recorded);
  const nlohmann::json chain = probe && probe->contains("chain") ? (*probe)["chain"] : nlohmann::json::array();
  out.recorded_completed = probe && flag_field(*probe, "completed");
  if (probe == nullptr) {
    out.recorded_failure = "no default probe recorded";
  } else {
    out.recorded_failure = text_field(*probe, "failure");
  }
  out.recorded_leaf_sha256 = text_at(chain, 0, "sha256");
  out.recorded_issuer = text_at(chain, 0, "issuer");
  out.seen_completed = seen.completed;
  std::string seen_issuer_spki;
  if (!seen.peer_chain.empty()) {
    if (auto leaf = pki::parse_certificate(seen.peer_chain.front())) {
      out.seen_leaf_sha256 = leaf->sha256;
      out.seen_issuer = leaf->issuer;
    }
    if (seen.peer_chain.size() > 1) {
      if (auto issuing = pki::parse_certificate(seen.peer_chain[1])) seen_issuer_spki = issuing->spki_sha256;
    }
  }
  out.leaf_matches = !out.seen_leaf_sha256.empty() && out.seen_leaf_sha256 == out.recorded_leaf_sha256;
  const std::string recorded_issuer_spki = text_at(chain, 1, "spki_sha256");
  const bool keys_comparable = !recorded_issuer_spki.empty() && !seen_issuer_spki.empty();
  out.issuer_matches = out.leaf_matches || (!out.seen_issuer.empty() && out.seen_issuer == out.recorded_issuer &&
                                            (!keys_comparable || recorded_issuer_spki == seen_issuer_spki));
  return out;
}

bool looks_intercepted(const SnapshotComparison& comparison) {
  return comparison.recorded_completed && comparison.seen_completed && !comparison.issuer_matches;
}

}  // namespace tlsdoctor::refclient
