// Turns `tlsdoctor probe` options into ProbeSpecs (route, SNI, trust, --resolve), runs them and renders the result.
#include "cli/probe_command.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include <fmt/format.h>

#include "core/atomic_file.h"
#include "cli/target.h"
#include "cli/terminal.h"
#include "proxy/environment_proxy.h"
#include "proxy/proxy_url.h"
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

// The route this machine's command-line programs would take for https://host:port: the proxy
// variables as libcurl reads them. `why` says which variable decided, for the text output.
tl::expected<tls::RouteSpec, std::string> route_for(const Options& opts, const platform::Env& env,
                                                    const Target& target, std::string& why) {
  if (opts.probe.no_proxy) {
    why = "direct (--no-proxy)";
    return tls::RouteSpec::direct();
  }
  std::string url;
  if (opts.probe.proxy) {
    url = *opts.probe.proxy;
    why = "--proxy";
  } else {
    const proxy::RequestTarget request{"https", target.host, target.port};
    const auto choice = proxy::choose_environment_proxy(
        request, [&](const std::string& name) { return env.var(name); });
    if (!choice) {
      why = "direct (no proxy variable set)";
      return tls::RouteSpec::direct();
    }
    if (choice->bypass_entry) {
      why = fmt::format("direct ({} entry {})", *choice->bypass_variable, *choice->bypass_entry);
      return tls::RouteSpec::direct();
    }
    url = choice->value;
    why = choice->variable;
  }
  auto parsed = proxy::parse_proxy_url(url);
  if (!parsed) {
    return tl::unexpected(fmt::format("{} '{}': {}", why, parsed.error().input, parsed.error().message));
  }
  if (parsed->scheme != proxy::ProxyScheme::Http) {
    return tl::unexpected(fmt::format("{} '{}': probes go through HTTP proxies (CONNECT) only; {} proxies are not supported",
                                      why, parsed->display(), proxy::to_string(parsed->scheme)));
  }
  return tls::RouteSpec::http_proxy(url);
}

tl::expected<tls::ProbeSpec, std::string> base_spec(const Options& opts, const platform::Env& env,
                                                    std::string& route_why) {
  auto target = parse_target(opts.probe.target);
  if (!target) return tl::unexpected(target.error().message);
  tls::ProbeSpec spec;
  spec.label = "default";
  spec.host = target->host;
  spec.port = target->port;
  spec.addresses = resolved_addresses(opts.resolve, spec.host, spec.port);
  if (opts.probe.no_sni) {
    spec.sni_mode = tls::SniMode::None;
  } else if (opts.probe.sni) {
    spec.sni_mode = tls::SniMode::Name;
    spec.sni_name = *opts.probe.sni;
  }
  if (opts.probe.ca_file) {
    const auto& file = *opts.probe.ca_file;
    std::ifstream in(file);
    if (!in) return tl::unexpected(fmt::format("--ca-file '{}': cannot be read", file));
    spec.trust = tls::TrustSpec::from_file(std::filesystem::absolute(file).string());
  }
  auto route = route_for(opts, env, *target, route_why);
  if (!route) return tl::unexpected(route.error());
  spec.route = std::move(*route);
  return spec;
}

}  // namespace

int run_probe_command(const Options& opts, const platform::Env& env) {
  std::string route_why;
  auto base = base_spec(opts, env, route_why);
  if (!base) return usage_error(base.error());

  std::vector<tls::ProbeSpec> specs{*base};
  if (opts.probe.all_versions) {
    for (auto& variant : tls::all_version_variants(*base)) specs.push_back(std::move(variant));
  }
  const auto results = tls::run_probes(specs, Deadline::after(opts.timeout));
  nlohmann::ordered_json probes = nlohmann::ordered_json::array();
  for (const auto& handshake : results) probes.push_back(tls::to_json(handshake));

  std::string bytes;
  if (opts.format == Format::Json) {
    bytes = nlohmann::ordered_json{{"probes", probes}}.dump(2) + "\n";
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
