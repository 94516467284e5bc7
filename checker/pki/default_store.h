// OpenSSL's default trust store as every OpenSSL client loads it, with the bundle's certificates shared.
#pragma once

#include <openssl/x509_vfy.h>

namespace tlsdoctor::pki {

// What X509_STORE_set_default_paths does (the default file, or SSL_CERT_FILE; the hashed
// default directory, or SSL_CERT_DIR; the default store URI), except that the file's
// certificates are decoded through decode_certificate, so that a run that has read the system
// roots already (the trust store check) does not decode them again. A file with anything but
// plain CERTIFICATE blocks (trust settings, CRLs, a damaged block) is left to OpenSSL's own
// loader, which then decides exactly as it does for every other client. False when OpenSSL
// cannot add a lookup (out of memory).
bool load_default_paths(X509_STORE* store);

}  // namespace tlsdoctor::pki
