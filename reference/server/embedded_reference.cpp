// Starts the reference server in-process on 127.0.0.1 port 0 with a throwaway certificate and signing key.
#include "reference/server/embedded_reference.h"

#include <arpa/inet.h>

#include <openssl/pem.h>

#include "pki/openssl_handles.h"
#include "tls/self_signed.h"

namespace tlsdoctor::reference {
namespace {

// The embedded reference serves a handful of local handshakes: one thread is plenty.
constexpr std::size_t kEmbeddedThreads = 1;

std::string pem_of(X509* certificate) {
  pki::BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509(bio.get(), certificate) != 1) return "";
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio.get(), &data);
  return length > 0 ? std::string(data, static_cast<std::size_t>(length)) : "";
}

std::string pem_of(EVP_PKEY* key) {
  pki::BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1) return "";
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio.get(), &data);
  return length > 0 ? std::string(data, static_cast<std::size_t>(length)) : "";
}

}  // namespace

tl::expected<std::unique_ptr<EmbeddedReference>, Error> EmbeddedReference::start(tls::SelfSignedKey curve) {
  auto identity = tls::make_self_signed("tlsdoctor loopback", curve);
  if (!identity) return tl::unexpected(identity.error());
  auto key = SigningKey::generate();
  if (!key) return tl::unexpected(key.error());
  std::unique_ptr<EmbeddedReference> embedded(new EmbeddedReference(std::move(*key)));
  ServerSettings settings;
  settings.listen = {"127.0.0.1:0"};
  settings.threads = kEmbeddedThreads;
  settings.identity = ServerIdentity{pem_of(identity->certificate.get()), pem_of(identity->key.get())};
  auto server = ReferenceServer::start(settings, embedded->router_);
  if (!server) return tl::unexpected(server.error());
  embedded->server_ = std::move(*server);
  embedded->port_ = embedded->server_->ports().front();
  return embedded;
}

EmbeddedReference::~EmbeddedReference() {
  // The server's threads use the router: stop them first.
  server_.reset();
}

sockaddr_in EmbeddedReference::address() const {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port_);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

}  // namespace tlsdoctor::reference
