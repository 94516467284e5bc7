// Env: sysroot path mapping and variable lookup, the same on every OS.
#include "platform/env.h"

namespace tlsdoctor::platform {

std::optional<std::string> Env::var(std::string_view name) const {
  auto it = vars.find(name);
  if (it == vars.end()) return std::nullopt;
  return it->second;
}

std::filesystem::path Env::path(std::string_view absolute) const {
  std::filesystem::path p{absolute};
  if (sysroot.empty() || sysroot == "/") return p;
  return sysroot / p.relative_path();
}

std::string Env::display(const std::filesystem::path& under_sysroot) const {
  if (sysroot.empty() || sysroot == "/") return under_sysroot.string();
  const auto rel = under_sysroot.lexically_relative(sysroot);
  if (rel.empty() || rel.native().starts_with("..")) return under_sysroot.string();
  return (std::filesystem::path("/") / rel).string();
}

}  // namespace tlsdoctor::platform
