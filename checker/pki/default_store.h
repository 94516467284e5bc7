// OpenSSL's default trust store as every OpenSSL client loads it, with the bundle's certificates shared.
#pragma once

#include <openssl/x509_vfy.h>

namespace tlsdoctor::pki {

// What X509_STORE_set_default_paths does (the default file, or SSL_CERT_FILE; the hashed
// default directory, or SSL_CERT_DIR; the default store URI), except that the file's
// certificates are not decoded up front: the file is indexed by subject-name hash, and a
// certificate is decoded (through decode_certificate, shared with every other parse of it) and
// put into the store the first time a verification asks for its subject, as OpenSSL's hashed
// directory lookup does. A run that verifies a chain or two decodes a root or two, not the
// whole bundle. A file with anything but plain CERTIFICATE blocks (trust settings, CRLs, a
// damaged block or one without a certificate's outline) is left to OpenSSL's own loader, which
// then decides exactly as it does for every other client. One difference remains: a block with
// a sound outline that OpenSSL still cannot decode makes OpenSSL drop the whole file, and here
// only that certificate. False when OpenSSL cannot add a lookup (out of memory).
bool load_default_paths(X509_STORE* store);

}  // namespace tlsdoctor::pki
