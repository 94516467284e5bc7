// OpenSSL's configuration syntax (openssl.cnf): sections, .include, $variables, and the ssl_conf chain.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "platform/error.h"
#include "platform/tls_policy.h"

namespace tlsdoctor::platform {

// .include chains deeper than this are a loop (a file including itself); OpenSSL would spin
// forever, distributions nest two levels at most (openssl.cnf -> crypto-policies -> back-end).
inline constexpr int kMaxOpenSslIncludeDepth = 16;
// Files read for one configuration in all: an included directory of drop-ins stays far below.
inline constexpr std::size_t kMaxOpenSslConfFiles = 256;
// OpenSSL refuses a value that grows past 64 KB through variable expansion; so do we.
inline constexpr std::size_t kMaxOpenSslValueLength = 65536;

struct OpenSslConfEntry {
  std::string name;
  std::string value;  // unquoted, escapes undone, $variables expanded
  std::string file;   // as the user sees it
  int line = 0;
};

// Sections in the order entries were added; "default" holds what stands before any [section].
struct OpenSslConf {
  std::map<std::string, std::vector<OpenSslConfEntry>, std::less<>> sections;

  const std::vector<OpenSslConfEntry>* section(std::string_view name) const;
  // The last entry of `name` in `section` (OpenSSL's lookup), falling back to "default" as
  // OpenSSL does for variables; nullopt when neither has it.
  std::optional<OpenSslConfEntry> get(std::string_view section, std::string_view name) const;
};

// A file as the loader found it: the text and the name to report (symbolic links followed).
struct LoadedConfFile {
  std::string shown;
  std::string text;
};

// How the parser reaches files and variables; the Linux backend maps these under the sysroot,
// tests give it an in-memory tree.
struct OpenSslConfSource {
  std::function<tl::expected<LoadedConfFile, Error>(const std::string& path)> read_file;
  // The entries of a directory (file names, not paths), or nullopt if `path` is not one.
  std::function<std::optional<std::vector<std::string>>(const std::string& path)> list_directory;
  // Environment lookups: OPENSSL_CONF_INCLUDE and "$ENV::NAME" references.
  std::function<std::optional<std::string>(std::string_view name)> getenv;
};

struct OpenSslConfParse {
  OpenSslConf conf;
  std::vector<std::string> files_read;
  std::vector<std::string> notes;  // what OpenSSL tolerates: missing includes, unreadable drop-ins
  // The first syntax error, as OpenSSL stops at it and then ignores the whole file;
  // input is "file:line".
  std::optional<Error> error;
};

// Parses `path` as OpenSSL 3 does (conf_def.c): "#" comments, quotes and backslash escapes,
// line continuations, "[ section ]", "name = value", "section::name = value", $var / ${var} /
// $(var) / $section::var / $ENV::var expansion, ".include [=] path" of files and directories
// (*.cnf, *.conf), and the .pragma directives dollarid, abspath and includedir.
OpenSslConfParse parse_openssl_conf(const std::string& path, const OpenSslConfSource& source);

// The SSL_CONF commands of one section (e.g. system_default_sect) with the judged ones picked out.
OpenSslSettings openssl_settings_from(const std::vector<OpenSslConfEntry>& section);

// "@SECLEVEL=n" in a cipher string (the last one counts, as OpenSSL applies them in order).
std::optional<int> seclevel_from_cipher_string(std::string_view cipher_string);

// Follows openssl_conf -> ssl_conf -> system_default in a parsed file and fills the section
// names, the system_default settings and notes about missing links into `policy`.
void follow_ssl_conf_chain(const OpenSslConf& conf, OpenSslPolicy& policy);

}  // namespace tlsdoctor::platform
