// Browser enterprise policies on Linux: Chrome, Chromium and Edge managed JSON; Firefox policies.json.
#include "platform/tls_policy_parsers.h"
#include "tls_policy_files.h"

namespace tlsdoctor::platform::tls_policy_detail {
namespace {

struct PolicyLocation {
  std::string_view browser;
  std::string_view path;
};

// Chromium-based browsers read every *.json in their "managed" directory.
constexpr PolicyLocation kManagedPolicyDirectories[] = {
    {"chrome", "/etc/opt/chrome/policies/managed"},
    {"chromium", "/etc/chromium/policies/managed"},
    {"chromium", "/etc/chromium-browser/policies/managed"},
    {"edge", "/etc/opt/edge/policies/managed"},
};

// Firefox reads one policies.json: the system-wide one, or the one in its installation.
constexpr PolicyLocation kFirefoxPolicyFiles[] = {
    {"firefox", "/etc/firefox/policies/policies.json"},
    {"firefox", "/usr/lib/firefox/distribution/policies.json"},
    {"firefox", "/usr/lib64/firefox/distribution/policies.json"},
    {"firefox", "/usr/lib/firefox-esr/distribution/policies.json"},
};

// A managed directory with more files than this is not hand-kept policy; the rest are skipped.
constexpr std::size_t kMaxPolicyFilesPerDirectory = 64;

void read_one(const Env& env, std::string_view browser, const std::string& path, std::vector<BrowserPolicy>& out) {
  auto file = read_policy_file(env, path);
  if (!file) {
    BrowserPolicy policy;
    policy.browser = std::string(browser);
    policy.file = path;
    policy.error = file.error();
    out.push_back(std::move(policy));
    return;
  }
  if (!*file) return;
  out.push_back(parse_browser_policy((*file)->text, std::string(browser), (*file)->shown));
}

}  // namespace

std::vector<BrowserPolicy> read_browser_policies(const Env& env) {
  std::vector<BrowserPolicy> policies;
  for (const auto& [browser, dir] : kManagedPolicyDirectories) {
    const auto names = list_directory(env, dir);
    if (!names) continue;
    std::size_t read = 0;
    for (const auto& name : *names) {
      if (!name.ends_with(".json")) continue;
      if (++read > kMaxPolicyFilesPerDirectory) break;
      read_one(env, browser, std::string(dir) + "/" + name, policies);
    }
  }
  for (const auto& [browser, path] : kFirefoxPolicyFiles) read_one(env, browser, std::string(path), policies);
  return policies;
}

}  // namespace tlsdoctor::platform::tls_policy_detail
