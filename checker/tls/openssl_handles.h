// Owning handles for the TLS objects (SSL_CTX, SSL) on top of pki's crypto handles.
#pragma once

#include <memory>

#include <openssl/ssl.h>

#include "pki/openssl_handles.h"

namespace tlsdoctor::tls {

using pki::BioPtr;
using pki::BignumPtr;
using pki::EvpPkeyPtr;
using pki::OpenSslDeleter;
using pki::X509Ptr;

using SslCtxPtr = std::unique_ptr<SSL_CTX, OpenSslDeleter<SSL_CTX, SSL_CTX_free>>;
using SslPtr = std::unique_ptr<SSL, OpenSslDeleter<SSL, SSL_free>>;

}  // namespace tlsdoctor::tls
