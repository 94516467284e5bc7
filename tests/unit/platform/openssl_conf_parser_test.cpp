// Tests for the openssl.cnf parser: syntax, includes, variables, pragmas and the ssl_conf chain.
#include <map>
#include <set>

#include <catch2/catch.hpp>

#include "platform/openssl_conf.h"

using namespace tlsdoctor::platform;

namespace {

// An in-memory file tree: paths to contents, directories to their entries.
struct MemoryTree {
  std::map<std::string, std::string> files;
  std::map<std::string, std::string> env;

  OpenSslConfSource source() const {
    OpenSslConfSource s;
    s.read_file = [this](const std::string& path) -> tl::expected<LoadedConfFile, Error> {
      const auto it = files.find(path);
      if (it == files.end()) return tl::unexpected(Error{path, "no such file"});
      return LoadedConfFile{path, it->second};
    };
    s.list_directory = [this](const std::string& path) -> std::optional<std::vector<std::string>> {
      std::set<std::string> names;
      const std::string prefix = path + "/";
      for (const auto& [p, _] : files) {
        if (p.starts_with(prefix)) names.insert(p.substr(prefix.size(), p.find('/', prefix.size()) - prefix.size()));
      }
      if (names.empty()) return std::nullopt;
      return std::vector<std::string>(names.begin(), names.end());
    };
    s.getenv = [this](std::string_view name) -> std::optional<std::string> {
      const auto it = env.find(std::string(name));
      if (it == env.end()) return std::nullopt;
      return it->second;
    };
    return s;
  }
};

OpenSslConfParse parse(const std::string& text) {
  MemoryTree tree;
  tree.files["/etc/ssl/openssl.cnf"] = text;
  return parse_openssl_conf("/etc/ssl/openssl.cnf", tree.source());
}

std::string value(const OpenSslConfParse& p, std::string_view section, std::string_view name) {
  const auto e = p.conf.get(section, name);
  return e ? e->value : "<unset>";
}

}  // namespace

TEST_CASE("openssl_conf: sections, comments, quotes, escapes and continuations", "[platform][openssl_conf]") {
  const auto p = parse(
      "top = 1 # trailing comment\n"
      "[ my section ]\n"
      "quoted = \"a # not a comment\"\n"
      "single = 'x'y\n"
      "escaped = a\\#b\\tc\n"
      "spaced   =    value with spaces   \n"
      "joined = first \\\n"
      "second\n"
      "other::name = elsewhere\n");
  REQUIRE_FALSE(p.error);
  CHECK(value(p, "default", "top") == "1");
  CHECK(value(p, "my section", "quoted") == "a # not a comment");
  CHECK(value(p, "my section", "single") == "xy");
  CHECK(value(p, "my section", "escaped") == "a#b\tc");
  CHECK(value(p, "my section", "spaced") == "value with spaces");
  CHECK(value(p, "my section", "joined") == "first second");
  CHECK(value(p, "other", "name") == "elsewhere");
  CHECK(p.conf.get("my section", "joined")->line == 7);
}

TEST_CASE("openssl_conf: $variables from the section, default, other sections and ENV", "[platform][openssl_conf]") {
  MemoryTree tree;
  tree.env["LEVEL"] = "3";
  tree.files["/c.cnf"] =
      "dir = /etc/pki\n"
      "[a]\n"
      "x = 1\n"
      "plain = $x-${x}-$(x)\n"
      "fallback = $dir/certs\n"
      "[b]\n"
      "cross = $a::x and ${a::x}\n"
      "env = @SECLEVEL=$ENV::LEVEL\n";
  const auto p = parse_openssl_conf("/c.cnf", tree.source());
  REQUIRE_FALSE(p.error);
  CHECK(value(p, "a", "plain") == "1-1-1");
  CHECK(value(p, "a", "fallback") == "/etc/pki/certs");
  CHECK(value(p, "b", "cross") == "1 and 1");
  CHECK(value(p, "b", "env") == "@SECLEVEL=3");
}

TEST_CASE("openssl_conf: syntax errors name file and line, as OpenSSL stops there", "[platform][openssl_conf]") {
  SECTION("missing equal sign") {
    const auto p = parse("a = 1\n\n[s]\nMinProtocol TLSv1.2\n");
    REQUIRE(p.error);
    CHECK(p.error->input == "/etc/ssl/openssl.cnf:4");
    CHECK(p.error->message == "missing equal sign");
  }
  SECTION("missing close bracket") {
    const auto p = parse("[ssl_sect\n");
    REQUIRE(p.error);
    CHECK(p.error->input == "/etc/ssl/openssl.cnf:1");
    CHECK(p.error->message == "missing close square bracket");
  }
  SECTION("undefined variable") {
    const auto p = parse("a = $nowhere\n");
    REQUIRE(p.error);
    CHECK(p.error->message.find("variable has no value") != std::string::npos);
  }
  SECTION("unclosed brace") {
    const auto p = parse("x = 1\na = ${x\n");
    REQUIRE(p.error);
    CHECK(p.error->input == "/etc/ssl/openssl.cnf:2");
    CHECK(p.error->message == "no close brace");
  }
  SECTION("bad pragma") {
    const auto p = parse(".pragma nocolon\n");
    REQUIRE(p.error);
    CHECK(p.error->message == "invalid pragma");
  }
}

TEST_CASE("openssl_conf: .include of files and directories, in the current section", "[platform][openssl_conf]") {
  MemoryTree tree;
  tree.files["/etc/ssl/openssl.cnf"] =
      "[policy]\n"
      ".include /etc/ssl/policy.cnf\n"
      ".include = /etc/ssl/conf.d\n"
      ".include /etc/ssl/missing.cnf\n"
      "after = yes\n";
  tree.files["/etc/ssl/policy.cnf"] = "MinProtocol = TLSv1.2\n";
  tree.files["/etc/ssl/conf.d/20-cipher.cnf"] = "CipherString = DEFAULT:@SECLEVEL=3\n";
  tree.files["/etc/ssl/conf.d/10-max.conf"] = "MaxProtocol = TLSv1.3\n";
  tree.files["/etc/ssl/conf.d/README"] = "not = read\n";
  const auto p = parse_openssl_conf("/etc/ssl/openssl.cnf", tree.source());
  REQUIRE_FALSE(p.error);
  CHECK(value(p, "policy", "MinProtocol") == "TLSv1.2");
  CHECK(value(p, "policy", "MaxProtocol") == "TLSv1.3");
  CHECK(value(p, "policy", "CipherString") == "DEFAULT:@SECLEVEL=3");
  CHECK(value(p, "policy", "after") == "yes");
  CHECK(value(p, "policy", "not") == "<unset>");
  CHECK(p.conf.get("policy", "MinProtocol")->file == "/etc/ssl/policy.cnf");
  CHECK(p.files_read == std::vector<std::string>{"/etc/ssl/openssl.cnf", "/etc/ssl/policy.cnf",
                                                 "/etc/ssl/conf.d/10-max.conf", "/etc/ssl/conf.d/20-cipher.cnf"});
  // A missing include is not an error for OpenSSL, only worth a note.
  REQUIRE(p.notes.size() == 1);
  CHECK(p.notes[0].find("/etc/ssl/missing.cnf") != std::string::npos);
}

TEST_CASE("openssl_conf: includedir pragma and OPENSSL_CONF_INCLUDE place relative includes", "[platform][openssl_conf]") {
  MemoryTree tree;
  tree.files["/main.cnf"] = ".pragma includedir:/opt/conf\n.include extra.cnf\n";
  tree.files["/opt/conf/extra.cnf"] = "a = from includedir\n";
  tree.files["/env/extra.cnf"] = "a = from environment\n";
  CHECK(value(parse_openssl_conf("/main.cnf", tree.source()), "default", "a") == "from includedir");
  tree.env["OPENSSL_CONF_INCLUDE"] = "/env";
  CHECK(value(parse_openssl_conf("/main.cnf", tree.source()), "default", "a") == "from environment");

  tree.files["/abs.cnf"] = ".pragma abspath:on\n.include relative.cnf\n";
  const auto p = parse_openssl_conf("/abs.cnf", MemoryTree{{{"/abs.cnf", tree.files["/abs.cnf"]}}, {}}.source());
  REQUIRE(p.error);
  CHECK(p.error->input == "/abs.cnf:2");
}

TEST_CASE("openssl_conf: an include loop stops at the depth limit", "[platform][openssl_conf]") {
  MemoryTree tree;
  tree.files["/loop.cnf"] = "x = 1\n.include /loop.cnf\n";
  const auto p = parse_openssl_conf("/loop.cnf", tree.source());
  CHECK_FALSE(p.error);
  CHECK(p.files_read.size() == static_cast<std::size_t>(kMaxOpenSslIncludeDepth) + 1);
  CHECK_FALSE(p.notes.empty());
}

TEST_CASE("openssl_conf: the ssl_conf chain is followed by the names the file gives", "[platform][openssl_conf]") {
  const auto p = parse(
      "openssl_conf = my_init\n"
      "[my_init]\n"
      "ssl_conf = my_ssl\n"
      "[my_ssl]\n"
      "system_default = my_defaults\n"
      "[my_defaults]\n"
      "MinProtocol = TLSv1.2\n"
      "TLS.MaxProtocol = TLSv1.3\n"
      "DTLS.MinProtocol = DTLSv1.2\n"
      "cipherstring = DEFAULT:@SECLEVEL=1:@SECLEVEL=2\n"
      "Ciphersuites = TLS_AES_256_GCM_SHA384\n"
      "Options = ServerPreference,-SessionTicket\n"
      "Curves = X25519:P-256\n");
  REQUIRE_FALSE(p.error);
  OpenSslPolicy policy;
  follow_ssl_conf_chain(p.conf, policy);
  CHECK(policy.init_section == "my_init");
  CHECK(policy.ssl_conf_section == "my_ssl");
  CHECK(policy.system_default_section == "my_defaults");
  const auto& s = policy.system_default;
  CHECK(s.commands.size() == 7);
  REQUIRE(s.min_protocol);
  CHECK(s.min_protocol->value == "TLSv1.2");
  CHECK(s.min_protocol->line == 7);
  REQUIRE(s.max_protocol);
  CHECK(s.max_protocol->key == "TLS.MaxProtocol");
  REQUIRE(s.cipher_string);
  CHECK(s.seclevel == 2);
  CHECK(s.ciphersuites->value == "TLS_AES_256_GCM_SHA384");
  CHECK(s.options->value == "ServerPreference,-SessionTicket");
  CHECK(s.groups->value == "X25519:P-256");
}

TEST_CASE("openssl_conf: a broken chain leaves notes, not settings", "[platform][openssl_conf]") {
  const auto p = parse("openssl_conf = init\n[init]\nssl_conf = nowhere\n");
  OpenSslPolicy policy;
  follow_ssl_conf_chain(p.conf, policy);
  CHECK(policy.ssl_conf_section == "nowhere");
  CHECK_FALSE(policy.system_default_section);
  REQUIRE(policy.notes.size() == 1);
  CHECK(policy.notes[0].find("[nowhere]") != std::string::npos);

  OpenSslPolicy none;
  follow_ssl_conf_chain(parse("HOME = .\n").conf, none);
  CHECK_FALSE(none.init_section);
  CHECK(none.notes.empty());
}

TEST_CASE("openssl_conf: SECLEVEL is read from anywhere in a cipher string", "[platform][openssl_conf]") {
  CHECK(seclevel_from_cipher_string("DEFAULT:@SECLEVEL=2") == 2);
  CHECK(seclevel_from_cipher_string("@SECLEVEL=1:kEECDH:kRSA") == 1);
  CHECK_FALSE(seclevel_from_cipher_string("DEFAULT"));
  CHECK_FALSE(seclevel_from_cipher_string("@SECLEVEL=x"));
}
