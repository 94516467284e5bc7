// `tlsdoctor compare` on reports the built binary wrote: exit codes, text and JSON, bad input named.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "lab/cert_factory.h"
#include "lab/subprocess.h"
#include "lab/temp_tree.h"

using namespace tlsdoctor;

namespace {

// A quick offline report written to `path`, with `env` added.
void write_report(const std::string& path, std::map<std::string, std::optional<std::string>> env = {}) {
  lab::ProcessOptions options;
  options.env = std::move(env);
  const auto r = lab::run_process({lab::tlsdoctor_binary(), "--offline", "--no-policy", "--only", "clock,trust_store",
                                   "-f", "json", "-o", path},
                                  options);
  INFO(r.err);
  REQUIRE((r.exit_code == 0 || r.exit_code == 1));
}

}  // namespace

TEST_CASE("compare: the same machine twice differs in nothing (exit 0), a broken store in B is named (exit 1)") {
  const auto dir = lab::TempTree::create("tlsdoctor-e2e-compare-").value();
  const auto a = (dir.path() / "a.json").string();
  const auto b = (dir.path() / "b.json").string();
  const auto broken = (dir.path() / "broken.json").string();
  write_report(a);
  write_report(b);
  write_report(broken, {{"SSL_CERT_FILE", "/nonexistent.pem"}});
  const auto same = lab::run_process({lab::tlsdoctor_binary(), "compare", a, b});
  INFO(same.out << same.err);
  CHECK(same.exit_code == 0);
  CHECK(same.out.find("No differences that matter.") != std::string::npos);
  const auto differ = lab::run_process({lab::tlsdoctor_binary(), "compare", a, broken});
  CHECK(differ.exit_code == 1);
  CHECK(differ.out.find("trust.override_broken (trust_store): only in B") != std::string::npos);
  const auto as_json = lab::run_process({lab::tlsdoctor_binary(), "compare", a, broken, "-f", "json"});
  CHECK(as_json.exit_code == 1);
  const auto j = nlohmann::json::parse(as_json.out);
  CHECK(j["schema"] == "tlsdoctor.compare/1");
  bool named = false;
  for (const auto& d : j["differences"]) named = named || (d["area"] == "verdict" && d["b"] == "trust.override_broken");
  CHECK(named);
}

TEST_CASE("compare: bad input is exit 2 naming the file") {
  const auto dir = lab::TempTree::create("tlsdoctor-e2e-compare-bad-").value();
  const auto text = (dir.path() / "notes.txt").string();
  const auto other = (dir.path() / "other.json").string();
  REQUIRE(lab::write_file(text, "not json"));
  REQUIRE(lab::write_file(other, R"({"schema": "something/1"})"));
  const auto missing = lab::run_process({lab::tlsdoctor_binary(), "compare", "/nonexistent/a.json", other});
  CHECK(missing.exit_code == 2);
  CHECK(missing.err.find("/nonexistent/a.json") != std::string::npos);
  const auto not_json = lab::run_process({lab::tlsdoctor_binary(), "compare", text, text});
  CHECK(not_json.exit_code == 2);
  CHECK(not_json.err.find("notes.txt: not JSON") != std::string::npos);
  const auto not_report = lab::run_process({lab::tlsdoctor_binary(), "compare", other, other});
  CHECK(not_report.exit_code == 2);
  CHECK(not_report.err.find("not a tlsdoctor report") != std::string::npos);
  CHECK(lab::run_process({lab::tlsdoctor_binary(), "compare", other}).exit_code == 2);
  CHECK(lab::run_process({lab::tlsdoctor_binary(), "compare", other, other, "-f", "jamf"}).exit_code == 2);
}
