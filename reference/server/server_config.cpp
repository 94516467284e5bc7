// Reads serve's JSON configuration strictly (unknown keys refused) and merges it with the flags.
#include "reference/server/server_config.h"


#include "core/bounded_file.h"
#include "reference/protocol/canonical_json.h"
#include "reference/protocol/json_fields.h"
#include "reference/server/address_policy.h"

namespace tlsdoctor::reference {
namespace {

constexpr const char* kKnownKeys[] = {"listen",        "cert",          "key",           "signing_key",
                                      "threads",       "observe",       "allow_cidr",    "observe_ports",
                                      "ca_file",       "proxy_protocol", "captive_listen", "log_requests"};

std::string resolve_path(const std::filesystem::path& base, const std::string& value) {
  if (value.empty()) return value;
  const std::filesystem::path path(value);
  return path.is_absolute() ? value : (base / path).string();
}

}  // namespace

tl::expected<ServeConfig, Error> load_serve_config(const std::filesystem::path& path) {
  const std::string name = path.string();
  const auto text = read_bounded_file(path, kMaxConfigBytes, "a configuration file");
  if (!text) return tl::unexpected(text.error());
  auto parsed = parse_json(*text, kMaxConfigBytes, name);
  if (!parsed) return tl::unexpected(parsed.error());
  if (!parsed->is_object()) return tl::unexpected(Error{name, "must hold one JSON object"});
  for (const auto& item : parsed->items()) {
    bool known = false;
    for (const char* key : kKnownKeys) known |= item.key() == key;
    if (!known) return tl::unexpected(Error{name, "unknown key \"" + item.key() + "\""});
  }
  JsonFields fields(*parsed, name);
  ServeConfig config;
  const auto base = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  if (parsed->contains("listen")) config.listen = fields.texts("listen");
  if (auto cert = fields.optional_text("cert")) config.cert = resolve_path(base, *cert);
  if (auto key = fields.optional_text("key")) config.key = resolve_path(base, *key);
  if (auto signing = fields.optional_text("signing_key")) config.signing_key = resolve_path(base, *signing);
  if (parsed->contains("threads")) {
    config.threads = static_cast<std::size_t>(fields.integer("threads", 1, static_cast<std::int64_t>(kMaxServerThreads)));
  }
  if (auto observe = fields.optional_flag("observe")) config.observe = *observe;
  if (parsed->contains("allow_cidr")) config.allow_cidr = fields.texts("allow_cidr");
  if (parsed->contains("observe_ports")) {
    const auto& ports = fields.array("observe_ports");
    for (const auto& port : ports) {
      if (!port.is_number_integer() || port.get<std::int64_t>() < 1 || port.get<std::int64_t>() > 65535) {
        fields.fail("observe_ports", "every item must be a port number from 1 to 65535");
        break;
      }
      config.observe_ports.push_back(static_cast<std::uint16_t>(port.get<std::int64_t>()));
    }
  }
  if (auto ca = fields.optional_text("ca_file")) config.ca_file = resolve_path(base, *ca);
  if (auto proxy = fields.optional_flag("proxy_protocol")) config.proxy_protocol = *proxy;
  if (parsed->contains("captive_listen")) config.captive_listen = fields.texts("captive_listen");
  if (auto log = fields.optional_flag("log_requests")) config.log_requests = *log;
  if (auto problem = fields.error()) return tl::unexpected(*problem);
  return config;
}

tl::expected<ServeConfig, Error> merge_serve_config(const std::optional<ServeConfig>& file, const ServeConfig& flags,
                                                    const GivenFlags& given) {
  ServeConfig out = flags;
  if (file) {
    if (out.listen.empty()) out.listen = file->listen;
    if (out.cert.empty()) out.cert = file->cert;
    if (out.key.empty()) out.key = file->key;
    if (out.signing_key.empty()) out.signing_key = file->signing_key;
    if (!given.threads) out.threads = file->threads;
    if (!given.no_observe) out.observe = file->observe;
    if (out.allow_cidr.empty()) out.allow_cidr = file->allow_cidr;
    if (out.observe_ports.empty()) out.observe_ports = file->observe_ports;
    if (out.ca_file.empty()) out.ca_file = file->ca_file;
    if (!given.proxy_protocol) out.proxy_protocol = file->proxy_protocol;
    if (out.captive_listen.empty()) out.captive_listen = file->captive_listen;
    if (!given.log_requests) out.log_requests = file->log_requests;
  }
  for (const auto& cidr : out.allow_cidr) {
    if (auto parsed = parse_cidr(cidr); !parsed) return tl::unexpected(parsed.error());
  }
  if (out.listen.empty()) return tl::unexpected(Error{"--listen", "no address to listen on (flag or config \"listen\")"});
  if (out.cert.empty()) return tl::unexpected(Error{"--cert", "no certificate chain (flag or config \"cert\")"});
  if (out.key.empty()) return tl::unexpected(Error{"--key", "no private key (flag or config \"key\")"});
  if (out.signing_key.empty()) {
    return tl::unexpected(Error{"--signing-key", "no signing key (flag or config \"signing_key\")"});
  }
  return out;
}

}  // namespace tlsdoctor::reference
