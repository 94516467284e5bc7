// Reads serve's JSON configuration strictly (unknown keys refused) and merges it with the flags.
#include "reference/server/server_config.h"

#include <fstream>
#include <sstream>

#include "reference/protocol/canonical_json.h"
#include "reference/protocol/json_fields.h"

namespace tlsdoctor::reference {
namespace {

constexpr const char* kKnownKeys[] = {"listen", "cert", "key", "signing_key", "threads"};

std::string resolve_path(const std::filesystem::path& base, const std::string& value) {
  if (value.empty()) return value;
  const std::filesystem::path path(value);
  return path.is_absolute() ? value : (base / path).string();
}

}  // namespace

tl::expected<ServeConfig, Error> load_serve_config(const std::filesystem::path& path) {
  const std::string name = path.string();
  std::error_code error;
  const auto size = std::filesystem::file_size(path, error);
  if (error) return tl::unexpected(Error{name, "cannot read it: " + error.message()});
  if (size > kMaxConfigBytes) return tl::unexpected(Error{name, "larger than a configuration file can be"});
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  auto parsed = parse_json(text.str(), kMaxConfigBytes, name);
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
  if (auto problem = fields.error()) return tl::unexpected(*problem);
  return config;
}

tl::expected<ServeConfig, Error> merge_serve_config(const std::optional<ServeConfig>& file, const ServeConfig& flags,
                                                    bool threads_given) {
  ServeConfig out = flags;
  if (file) {
    if (out.listen.empty()) out.listen = file->listen;
    if (out.cert.empty()) out.cert = file->cert;
    if (out.key.empty()) out.key = file->key;
    if (out.signing_key.empty()) out.signing_key = file->signing_key;
    if (!threads_given) out.threads = file->threads;
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
