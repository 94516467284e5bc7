// TLS policy facts on Linux: OpenSSL's loaded config, crypto-policies and its back-ends, GnuTLS.
#include <algorithm>
#include <deque>
#include <system_error>

#include "platform/file_read.h"
#include "platform/openssl_conf.h"
#include "platform/tls_policy.h"
#include "platform/tls_policy_parsers.h"
#include "tls_policy_files.h"

namespace tlsdoctor::platform {
namespace tls_policy_detail {

namespace fs = std::filesystem;

// As the kernel's MAXSYMLINKS: a longer chain is a loop.
constexpr int kMaxPolicyLinkHops = 40;

fs::path real_policy_path(const Env& env, std::string_view absolute) {
  fs::path start(absolute);
  // A relative path (a relative .include) is relative to the working directory on a real run,
  // and to the top of the tree when reading a fixture.
  if (start.is_relative()) {
    std::error_code ec;
    start = env.sysroot == "/" ? fs::absolute(start, ec) : fs::path("/") / start;
  }
  const fs::path relative = start.relative_path();
  std::deque<fs::path> pending(relative.begin(), relative.end());
  fs::path logical = "/";
  int hops = 0;
  while (!pending.empty()) {
    const fs::path part = pending.front();
    pending.pop_front();
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      logical = logical.parent_path();
      continue;
    }
    const fs::path candidate = logical / part;
    std::error_code ec;
    const fs::path real = env.path(candidate.string());
    if (hops < kMaxPolicyLinkHops && fs::is_symlink(fs::symlink_status(real, ec))) {
      const fs::path target = fs::read_symlink(real, ec);
      if (!ec) {
        ++hops;
        if (target.is_absolute()) logical = "/";
        const fs::path target_parts = target.relative_path();
        pending.insert(pending.begin(), target_parts.begin(), target_parts.end());
        continue;
      }
    }
    logical = candidate;
  }
  return env.path(logical.string());
}

tl::expected<std::optional<PolicyFile>, Error> read_policy_file(const Env& env, std::string_view absolute) {
  const fs::path real = real_policy_path(env, absolute);
  std::error_code ec;
  if (!fs::exists(real, ec)) return std::optional<PolicyFile>{};
  auto text = read_file_at(env, real);
  if (!text) return tl::unexpected(text.error());
  return std::optional<PolicyFile>{PolicyFile{env.display(real), std::move(*text)}};
}

bool exists_in_sysroot(const Env& env, std::string_view absolute) {
  std::error_code ec;
  return fs::exists(real_policy_path(env, absolute), ec);
}

std::optional<std::vector<std::string>> list_directory(const Env& env, std::string_view absolute) {
  const fs::path real = real_policy_path(env, absolute);
  std::error_code ec;
  if (!fs::is_directory(real, ec)) return std::nullopt;
  std::vector<std::string> names;
  for (fs::directory_iterator it(real, ec), end; !ec && it != end; it.increment(ec)) {
    names.push_back(it->path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace tls_policy_detail

namespace {

using namespace tls_policy_detail;

// Where distributions put OpenSSL's configuration, for when the compiled-in path (the hint)
// is not in the tree being read: Debian/Ubuntu, RHEL/Fedora, then Alpine/Arch/openSUSE.
constexpr std::string_view kDistributionOpenSslConfigs[] = {
    "/usr/lib/ssl/openssl.cnf", "/etc/pki/tls/openssl.cnf", "/etc/ssl/openssl.cnf"};

constexpr std::string_view kCryptoPoliciesConfig = "/etc/crypto-policies/config";
constexpr std::string_view kCryptoPoliciesBackEnds = "/etc/crypto-policies/back-ends";
constexpr std::string_view kGnuTlsSystemConfig = "/etc/gnutls/config";

OpenSslConfSource conf_source(const Env& env) {
  OpenSslConfSource source;
  source.read_file = [&env](const std::string& path) -> tl::expected<LoadedConfFile, Error> {
    auto file = read_policy_file(env, path);
    if (!file) return tl::unexpected(file.error());
    if (!*file) return tl::unexpected(Error{path, "no such file"});
    return LoadedConfFile{(*file)->shown, std::move((*file)->text)};
  };
  source.list_directory = [&env](const std::string& path) { return list_directory(env, path); };
  source.getenv = [&env](std::string_view name) { return env.var(name); };
  return source;
}

OpenSslPolicy read_openssl(const Env& env, const TlsPolicyHints& hints) {
  OpenSslPolicy policy;
  if (auto conf = env.var("OPENSSL_CONF"); conf && !conf->empty()) {
    policy.config_path = *conf;
    policy.config_source = "OPENSSL_CONF";
  } else if (!hints.openssl_default_config.empty() && exists_in_sysroot(env, hints.openssl_default_config)) {
    policy.config_path = hints.openssl_default_config;
    policy.config_source = "OpenSSL default";
  } else {
    const auto found = std::find_if(std::begin(kDistributionOpenSslConfigs), std::end(kDistributionOpenSslConfigs),
                                    [&](std::string_view p) { return exists_in_sysroot(env, p); });
    if (found != std::end(kDistributionOpenSslConfigs)) {
      policy.config_path = std::string(*found);
      policy.config_source = "distribution default";
    } else {
      policy.config_path =
          hints.openssl_default_config.empty() ? std::string(kDistributionOpenSslConfigs[0]) : hints.openssl_default_config;
      policy.config_source = "OpenSSL default";
    }
  }
  const auto real = real_policy_path(env, policy.config_path);
  std::error_code ec;
  policy.config_found = fs::exists(real, ec);
  if (!policy.config_found) {
    policy.notes.push_back(policy.config_path + " does not exist: OpenSSL runs on its built-in defaults");
    return policy;
  }
  policy.config_resolved = env.display(real);
  auto parsed = parse_openssl_conf(policy.config_path, conf_source(env));
  policy.files_read = std::move(parsed.files_read);
  policy.notes = std::move(parsed.notes);
  if (parsed.error) {
    // OpenSSL ignores the whole file then, so nothing in it is in force.
    policy.errors.push_back(std::move(*parsed.error));
    return policy;
  }
  follow_ssl_conf_chain(parsed.conf, policy);
  return policy;
}

GnuTlsPolicy read_gnutls_file(const Env& env, std::string_view path) {
  auto file = read_policy_file(env, path);
  if (!file) {
    GnuTlsPolicy policy;
    policy.file = std::string(path);
    policy.found = true;
    policy.errors.push_back(file.error());
    return policy;
  }
  if (!*file) {
    GnuTlsPolicy policy;
    policy.file = std::string(path);
    return policy;
  }
  return parse_gnutls_config((*file)->text, (*file)->shown);
}

void read_crypto_policies(const Env& env, CryptoPolicies& out) {
  out.present = exists_in_sysroot(env, kCryptoPoliciesConfig) || list_directory(env, kCryptoPoliciesBackEnds);
  if (!out.present) return;
  const std::string back_ends(kCryptoPoliciesBackEnds);

  if (auto file = read_policy_file(env, kCryptoPoliciesConfig); !file) {
    out.errors.push_back(file.error());
  } else if (*file) {
    parse_crypto_policies_config((*file)->text, (*file)->shown, out);
  }

  // opensslcnf.config is a bare list of SSL_CONF commands meant to be .included into a section.
  out.openssl_backend_file = back_ends + "/opensslcnf.config";
  if (exists_in_sysroot(env, out.openssl_backend_file)) {
    out.openssl_backend_found = true;
    auto parsed = parse_openssl_conf(out.openssl_backend_file, conf_source(env));
    if (!parsed.files_read.empty()) out.openssl_backend_file = parsed.files_read.front();
    if (parsed.error) {
      out.errors.push_back(std::move(*parsed.error));
    } else if (const auto* top = parsed.conf.section("default")) {
      out.openssl = openssl_settings_from(*top);
    }
  }

  out.gnutls = read_gnutls_file(env, back_ends + "/gnutls.config");

  if (auto file = read_policy_file(env, back_ends + "/java.config"); !file) {
    out.errors.push_back(file.error());
  } else if (*file) {
    auto properties = parse_java_properties((*file)->text, (*file)->shown);
    JavaSecurityPolicy java;
    java.file = (*file)->shown;
    for (const auto& p : properties.properties) {
      if (p.key == "jdk.tls.disabledAlgorithms") java.tls_disabled_algorithms = p;
    }
    java.errors = std::move(properties.errors);
    out.java = std::move(java);
  }

  if (auto file = read_policy_file(env, back_ends + "/nss.config"); !file) {
    out.errors.push_back(file.error());
  } else if (*file) {
    out.nss = parse_nss_policy((*file)->text, (*file)->shown);
  } else {
    out.nss.file = back_ends + "/nss.config";
  }
}

}  // namespace

TlsPolicyFacts read_tls_policy(const Env& env, const TlsPolicyHints& hints) {
  TlsPolicyFacts facts;
  facts.openssl = read_openssl(env, hints);
  read_crypto_policies(env, facts.crypto_policies);
  const auto gnutls_file = env.var("GNUTLS_SYSTEM_PRIORITY_FILE");
  facts.gnutls = read_gnutls_file(env, gnutls_file && !gnutls_file->empty() ? *gnutls_file
                                                                             : std::string(kGnuTlsSystemConfig));
  facts.java = read_java_policies(env, facts.crypto_policies.java);
  facts.browsers = read_browser_policies(env);
  return facts;
}

}  // namespace tlsdoctor::platform
