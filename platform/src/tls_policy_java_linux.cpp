// Java's TLS policy on Linux: jdk.tls.disabledAlgorithms of each JDK under /usr/lib/jvm.
#include <algorithm>
#include <set>
#include <system_error>

#include "platform/tls_policy_parsers.h"
#include "tls_policy_files.h"

namespace tlsdoctor::platform::tls_policy_detail {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kJvmRoot = "/usr/lib/jvm";
// JDK 9 and later keep java.security in conf/security; JDK 8 in jre/lib/security; a JRE 8 in lib/security.
constexpr std::string_view kJavaSecurityLocations[] = {
    "conf/security/java.security", "jre/lib/security/java.security", "lib/security/java.security"};
constexpr std::string_view kCryptoPoliciesDir = "/etc/crypto-policies/";
// Fedora nests two levels (java.security -> redhat/true/crypto-policies.properties ->
// java.config); past this it is a loop.
constexpr int kMaxJavaIncludeDepth = 8;
// A machine with more JDKs than this is a build farm; the rest are not read.
constexpr std::size_t kMaxJdks = 64;

void read_properties_chain(const Env& env, const std::string& logical_path, const PolicyFile& file, int depth,
                           JavaSecurityPolicy& out) {
  auto parsed = parse_java_properties(file.text, file.shown);
  out.errors.insert(out.errors.end(), parsed.errors.begin(), parsed.errors.end());

  // Properties and includes take effect in file order: a later definition wins.
  std::vector<std::pair<const PolicySetting*, bool>> items;  // (setting, is_include)
  for (const auto& p : parsed.properties) items.emplace_back(&p, false);
  for (const auto& i : parsed.includes) items.emplace_back(&i, true);
  std::stable_sort(items.begin(), items.end(),
                   [](const auto& a, const auto& b) { return a.first->line < b.first->line; });

  for (const auto& [setting, is_include] : items) {
    if (!is_include) {
      if (setting->key == "jdk.tls.disabledAlgorithms") out.tls_disabled_algorithms = *setting;
      if (setting->key == "security.useSystemPropertiesFile") out.use_system_properties_file = *setting;
      continue;
    }
    out.includes.push_back(setting->value);
    // "${redhat.crypto-policies}" and the like are system properties only the JVM knows.
    if (setting->value.find("${") != std::string::npos) {
      if (setting->value.find("crypto-policies") != std::string::npos) out.includes_crypto_policies = true;
      continue;
    }
    const fs::path target = fs::path(setting->value).is_absolute()
                                ? fs::path(setting->value)
                                : (fs::path(logical_path).parent_path() / setting->value).lexically_normal();
    if (target.string().starts_with(kCryptoPoliciesDir)) out.includes_crypto_policies = true;
    const std::string where = setting->file + ":" + std::to_string(setting->line);
    if (depth + 1 > kMaxJavaIncludeDepth) {
      out.errors.push_back(Error{where, "include nests deeper than " + std::to_string(kMaxJavaIncludeDepth)});
      continue;
    }
    auto included = read_policy_file(env, target.string());
    if (!included) {
      out.errors.push_back(Error{where, "include " + target.string() + ": " + included.error().message});
    } else if (!*included) {
      // The JDK refuses to start the security framework when an included file is missing.
      out.errors.push_back(Error{where, "include " + target.string() + ": no such file"});
    } else {
      read_properties_chain(env, target.string(), **included, depth + 1, out);
    }
  }
}

std::optional<JavaSecurityPolicy> read_jdk(const Env& env, const std::string& jdk,
                                           const std::optional<JavaSecurityPolicy>& crypto_policies_java) {
  for (const auto location : kJavaSecurityLocations) {
    const std::string path = jdk + "/" + std::string(location);
    JavaSecurityPolicy policy;
    policy.jdk = jdk;
    auto file = read_policy_file(env, path);
    if (!file) {
      policy.file = path;
      policy.errors.push_back(file.error());
      return policy;
    }
    if (!*file) continue;
    policy.file = (*file)->shown;
    read_properties_chain(env, path, **file, 0, policy);
    // RHEL 8/9 JDKs read crypto-policies' java.config after java.security when this is true.
    if (policy.use_system_properties_file && policy.use_system_properties_file->value == "true") {
      policy.includes_crypto_policies = true;
      if (crypto_policies_java && crypto_policies_java->tls_disabled_algorithms) {
        policy.tls_disabled_algorithms = crypto_policies_java->tls_disabled_algorithms;
      }
    }
    return policy;
  }
  return std::nullopt;  // not a JDK (documentation, a JRE without security files)
}

}  // namespace

std::vector<JavaSecurityPolicy> read_java_policies(const Env& env,
                                                   const std::optional<JavaSecurityPolicy>& crypto_policies_java) {
  std::vector<JavaSecurityPolicy> policies;
  const auto names = list_directory(env, kJvmRoot);
  if (!names) return policies;
  // Debian links java-1.17.0-openjdk-amd64 to java-17-openjdk-amd64: read each real JDK once,
  // under its own name rather than an alias.
  std::vector<std::string> real_dirs;
  std::vector<std::string> aliases;
  for (const auto& name : *names) {
    if (name.starts_with('.')) continue;
    const std::string jdk = std::string(kJvmRoot) + "/" + name;
    std::error_code ec;
    const bool is_link = fs::is_symlink(env.path(jdk), ec);
    if (!fs::is_directory(real_policy_path(env, jdk), ec)) continue;
    (is_link ? aliases : real_dirs).push_back(jdk);
  }
  std::set<fs::path> seen;
  for (const auto* group : {&real_dirs, &aliases}) {
    for (const auto& jdk : *group) {
      if (policies.size() >= kMaxJdks) return policies;
      if (!seen.insert(real_policy_path(env, jdk)).second) continue;
      if (auto policy = read_jdk(env, jdk, crypto_policies_java)) policies.push_back(std::move(*policy));
    }
  }
  return policies;
}

}  // namespace tlsdoctor::platform::tls_policy_detail
