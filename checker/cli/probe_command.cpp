// Turns `tlsdoctor probe` options into ProbeSpecs (route, SNI, trust, --resolve), runs them and renders the result.
#include "cli/probe_command.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include <fmt/format.h>

#include "core/atomic_file.h"
#include "cli/target.h"
#include "cli/target_spec.h"
#include "cli/terminal.h"
#include "report/probe_text_renderer.h"
#include "report/report.h"
#include "tls/handshake_json.h"
#include "tls/probe.h"
#include "tls/probe_variants.h"

namespace tlsdoctor::cli {
namespace {

using report::ExitCode;

int code(ExitCode c) { return static_cast<int>(c); }

int usage_error(const std::string& message) {
  std::cerr << fmt::format("tlsdoctor: error: {}\n", message);
  return code(ExitCode::UsageError);
}

}  // namespace

int run_probe_command(const Options& opts, const platform::Env& env) {
  std::string route_why;
  auto base = target_spec(opts.probe.target, {opts.probe.ca_file, opts.probe.proxy, opts.probe.no_proxy, opts.resolve},
                          env, route_why);
  if (!base) return usage_error(base.error());
  if (opts.probe.no_sni) {
    base->sni_mode = tls::SniMode::None;
  } else if (opts.probe.sni) {
    base->sni_mode = tls::SniMode::Name;
    base->sni_name = *opts.probe.sni;
  }

  std::vector<tls::ProbeSpec> specs{*base};
  if (opts.probe.all_versions) {
    for (auto& variant : tls::all_version_variants(*base)) specs.push_back(std::move(variant));
  }
  const auto results = tls::run_probes(specs, Deadline::after(opts.timeout));
  nlohmann::ordered_json probes = nlohmann::ordered_json::array();
  for (const auto& handshake : results) probes.push_back(tls::to_json(handshake));

  std::string bytes;
  if (opts.format == Format::Json) {
    bytes = nlohmann::ordered_json{{"probes", probes}}.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) +
            "\n";
  } else {
    report::TextOptions text;
    text.color = !opts.output && use_color(env, STDOUT_FILENO, opts.no_color);
    text.unicode = use_unicode(env);
    text.verbose = opts.verbose;
    text.quiet = opts.quiet;
    bytes = report::render_probes_text(probes, text);
    if (!opts.quiet) bytes += fmt::format("\nRoute: {}\n", route_why);
  }
  if (opts.output) {
    if (auto written = write_file_atomically(*opts.output, bytes); !written) {
      return usage_error(fmt::format("{}: {}", written.error().input, written.error().message));
    }
  } else {
    std::cout << bytes << std::flush;
  }
  const bool ok = !results.empty() && results.front().failure == tls::Failure::None;
  return code(ok ? ExitCode::Healthy : ExitCode::ProblemsFound);
}

}  // namespace tlsdoctor::cli
