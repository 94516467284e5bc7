// Owning handles for the OpenSSL objects checker/pki uses: unique_ptr with the matching *_free.
#pragma once

#include <memory>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

namespace tlsdoctor::pki {

// One deleter type per free function, so a handle is the size of a raw pointer.
template <typename T, void (*Free)(T*)>
struct OpenSslDeleter {
  void operator()(T* p) const noexcept { Free(p); }
};

using X509Ptr = std::unique_ptr<X509, OpenSslDeleter<X509, X509_free>>;
using X509NamePtr = std::unique_ptr<X509_NAME, OpenSslDeleter<X509_NAME, X509_NAME_free>>;
using EvpPkeyPtr = std::unique_ptr<EVP_PKEY, OpenSslDeleter<EVP_PKEY, EVP_PKEY_free>>;
using EvpPkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, OpenSslDeleter<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using EvpMdCtxPtr = std::unique_ptr<EVP_MD_CTX, OpenSslDeleter<EVP_MD_CTX, EVP_MD_CTX_free>>;
using BioPtr = std::unique_ptr<BIO, OpenSslDeleter<BIO, BIO_free_all>>;
using BignumPtr = std::unique_ptr<BIGNUM, OpenSslDeleter<BIGNUM, BN_free>>;

using X509StorePtr = std::unique_ptr<X509_STORE, OpenSslDeleter<X509_STORE, X509_STORE_free>>;
using X509StoreCtxPtr = std::unique_ptr<X509_STORE_CTX, OpenSslDeleter<X509_STORE_CTX, X509_STORE_CTX_free>>;
// A STACK_OF(X509) that owns its certificates.
inline void free_x509_stack(STACK_OF(X509)* stack) { sk_X509_pop_free(stack, X509_free); }
using X509StackPtr = std::unique_ptr<STACK_OF(X509), OpenSslDeleter<STACK_OF(X509), free_x509_stack>>;

// OPENSSL_free is a macro; this gives it a function address for the deleter.
inline void free_openssl_memory(char* p) { OPENSSL_free(p); }
using OpenSslStringPtr = std::unique_ptr<char, OpenSslDeleter<char, free_openssl_memory>>;
inline void free_openssl_bytes(unsigned char* p) { OPENSSL_free(p); }
using OpenSslBytesPtr = std::unique_ptr<unsigned char, OpenSslDeleter<unsigned char, free_openssl_bytes>>;

}  // namespace tlsdoctor::pki
