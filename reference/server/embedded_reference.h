// The embedded loopback reference: tlsdoctor-reference's server started inside the checker on 127.0.0.1.
#pragma once

#include <netinet/in.h>

#include <memory>

#include <tl/expected.hpp>

#include "core/error.h"
#include "reference/protocol/signing.h"
#include "reference/server/reference_server.h"
#include "reference/server/router.h"
#include "tls/self_signed.h"

namespace tlsdoctor::reference {

// Measures the local TLS stack with no network involved (the `local` layer): it accepts every
// version at security level 0, so only this machine's client policy can refuse. Its certificate
// (ECDSA on the curve `curve` names, self-signed, for "tlsdoctor loopback") and signing key are
// made fresh for each start and never leave the process.
class EmbeddedReference {
 public:
  static tl::expected<std::unique_ptr<EmbeddedReference>, Error> start(tls::SelfSignedKey curve = tls::SelfSignedKey::P384);
  ~EmbeddedReference();
  EmbeddedReference(const EmbeddedReference&) = delete;
  EmbeddedReference& operator=(const EmbeddedReference&) = delete;

  sockaddr_in address() const;  // 127.0.0.1 and the port it got
  const PublicKey& public_key() const { return key_.public_key(); }

 private:
  explicit EmbeddedReference(SigningKey key) : key_(std::move(key)), router_(key_) {}
  SigningKey key_;
  Router router_;
  std::unique_ptr<ReferenceServer> server_;
  std::uint16_t port_ = 0;
};

}  // namespace tlsdoctor::reference
