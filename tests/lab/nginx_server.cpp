// Writes an nginx configuration with the scenario's server blocks, starts nginx in the foreground, stops it with its directory.
#include "lab/nginx_server.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <openssl/bio.h>
#include <openssl/pem.h>

#include "lab/cert_factory.h"
#include "lab/loopback_port.h"
#include "lab/scenario_server.h"
#include "lab/subprocess.h"
#include "pki/openssl_handles.h"

namespace tlsdoctor::lab {
namespace {

// nginx 1.22 is up in a few tens of milliseconds; the bound leaves room for a busy CI machine.
constexpr std::chrono::seconds kNginxStartTimeout{10};
// Another test may take the free port between our probe for it and nginx's bind.
constexpr int kStartAttempts = 3;
// What the master writes (error_log at notice) once its listeners are open and workers start.
constexpr const char* kReadyText = "start worker process";

tl::expected<std::string, std::string> weak_dh_pem() {
  auto params = weak_dh_parameters();
  if (!params) return tl::unexpected(params.error());
  pki::BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_Parameters(bio.get(), params->get()) != 1) {
    return tl::unexpected(std::string("cannot write the weak DH parameters"));
  }
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  if (size <= 0 || data == nullptr) return tl::unexpected(std::string("the weak DH parameters came out empty"));
  return std::string(data, static_cast<std::size_t>(size));
}

// One server block, with its files written under `dir` as site<N>.*.
tl::expected<std::string, std::string> server_block(const NginxSite& site, std::size_t index,
                                                    const std::filesystem::path& dir, const std::string& address,
                                                    std::uint16_t port) {
  const auto base = dir / ("site" + std::to_string(index));
  std::string block = fmt::format("  server {{\n    listen {}:{} ssl{};\n", address, port,
                                  site.default_server ? " default_server" : "");
  block += fmt::format("    server_name {};\n", site.server_name.empty() ? "_" : site.server_name);
  if (site.reject_handshake) {
    block += "    ssl_reject_handshake on;\n  }\n";
    return block;
  }
  std::string chain = site.identity.certificate.cert_pem();
  for (const auto& cert : site.identity.chain) chain += cert.cert_pem();
  if (!write_file(base.string() + ".crt", chain) ||
      !write_file(base.string() + ".key", site.identity.certificate.key_pem())) {
    return tl::unexpected("cannot write the certificate of server block " + std::to_string(index));
  }
  block += fmt::format("    ssl_certificate {0}.crt;\n    ssl_certificate_key {0}.key;\n", base.string());
  block += fmt::format("    ssl_protocols {};\n", site.protocols);
  if (!site.ciphers.empty()) block += fmt::format("    ssl_ciphers \"{}\";\n", site.ciphers);
  if (site.weak_dh) {
    auto pem = weak_dh_pem();
    if (!pem) return tl::unexpected(pem.error());
    if (!write_file(base.string() + ".dh", *pem)) return tl::unexpected(std::string("cannot write DH parameters"));
    block += fmt::format("    ssl_dhparam {}.dh;\n", base.string());
  }
  if (site.require_client_certificate) {
    if (!write_pem_bundle(base.string() + ".clients", {&lab_pki().root})) {
      return tl::unexpected(std::string("cannot write the client CA"));
    }
    block += fmt::format("    ssl_verify_client on;\n    ssl_client_certificate {}.clients;\n", base.string());
  }
  block += "    location / { return 200 \"ok\\n\"; }\n  }\n";
  return block;
}

tl::expected<std::string, std::string> configuration(const std::vector<NginxSite>& sites,
                                                     const std::filesystem::path& dir, const std::string& address,
                                                     std::uint16_t port) {
  std::string c = fmt::format(
      "worker_processes 1;\n"
      "error_log stderr notice;\n"
      "pid {0}/nginx.pid;\n"
      "events {{ worker_connections 64; }}\n"
      "http {{\n"
      "  access_log {0}/access.log;\n"
      "  client_body_temp_path {0}/body;\n  proxy_temp_path {0}/proxy;\n  fastcgi_temp_path {0}/fastcgi;\n"
      "  uwsgi_temp_path {0}/uwsgi;\n  scgi_temp_path {0}/scgi;\n",
      dir.string());
  for (std::size_t i = 0; i < sites.size(); ++i) {
    auto block = server_block(sites[i], i, dir, address, port);
    if (!block) return tl::unexpected(block.error());
    c += *block;
  }
  return c + "}\n";
}

}  // namespace

tl::expected<std::unique_ptr<NginxServer>, std::string> NginxServer::start(const std::vector<NginxSite>& sites,
                                                                          const std::string& address) {
  const auto found = find_on_path("nginx");
  const std::string binary = found ? *found : "/usr/sbin/nginx";
  if (!std::filesystem::exists(binary)) return tl::unexpected(std::string("nginx is not installed"));
  std::string last_error;
  for (int attempt = 0; attempt < kStartAttempts; ++attempt) {
    auto dir = TempTree::create("tlsdoctor-lab-nginx-");
    if (!dir) return tl::unexpected("nginx directory: " + dir.error());
    const auto port = unused_loopback_port();
    auto conf = configuration(sites, dir->path(), address, port);
    if (!conf) return tl::unexpected(conf.error());
    const auto conf_path = dir->path() / "nginx.conf";
    if (!write_file(conf_path, *conf)) return tl::unexpected("cannot write " + conf_path.string());
    const std::vector<std::string> base{binary, "-e", "stderr", "-p", dir->path().string(), "-c", conf_path.string()};
    auto test_args = base;
    test_args.push_back("-t");
    if (const auto tested = run_process(test_args); tested.exit_code != 0) {
      return tl::unexpected("nginx refuses the configuration:\n" + tested.err + "\n" + *conf);
    }
    auto run_args = base;
    run_args.insert(run_args.end(), {"-g", "daemon off;"});
    auto process = BackgroundProcess::start(run_args, kReadyText, kNginxStartTimeout);
    if (!process) {
      last_error = "nginx did not start: " + process.error();
      if (last_error.find("Address already in use") != std::string::npos) continue;
      return tl::unexpected(last_error);
    }
    return std::make_unique<NginxServer>(std::move(*dir), port, std::move(*process));
  }
  return tl::unexpected(last_error);
}

NginxServer::~NginxServer() {
  if (process_) process_->stop(std::chrono::milliseconds(2000), SIGTERM);
}

std::string NginxServer::logs() const {
  return "nginx.conf:\n" + read_text_file(dir_.path() / "nginx.conf") + "nginx stderr:\n" +
         (process_ ? process_->stderr_so_far() : std::string()) + "access log:\n" +
         read_text_file(dir_.path() / "access.log");
}

}  // namespace tlsdoctor::lab
