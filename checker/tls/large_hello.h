// Large ClientHellos: padding OpenSSL 3.0 cannot do itself, and hybrid post-quantum key shares where OpenSSL has them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <openssl/ssl.h>
#include <tl/expected.hpp>

namespace tlsdoctor::tls {

// RFC 7685's padding extension (type 21) cannot carry our padding: OpenSSL refuses a custom
// extension for any type it implements itself, and its own padding (SSL_OP_TLSEXT_PADDING) only
// lifts hellos of 256-511 bytes to 512. So the padding travels in an extension of a GREASE type
// (RFC 8701): values reserved so that servers ignore them whatever their content ("MAY have any
// contents"), never to be assigned, and left out of JA3 and JA4 so that a padded probe has the
// same fingerprint as the unpadded one and differs from it in size only. The private-use range
// was the other candidate; it has squatters (0xffce was draft ESNI, parsed as such by DPI).
inline constexpr std::uint16_t kPaddingExtensionType = 0x1a1a;
// Beyond one TLS record (2^14 bytes) the test would be about record reassembly, not size.
inline constexpr std::size_t kMaxPaddedHelloBytes = 16384;

// Hybrid post-quantum groups, best first, as real browsers offer them; OpenSSL 3.5 and later
// (or a provider such as oqs-provider) implement them, Debian 12's 3.0 does not.
inline constexpr const char* kHybridGroupsList = "X25519MLKEM768:X25519";

// The padding extension of one SSL_CTX: it must outlive the SSL_CTX it is registered on.
struct HelloPadding {
  std::optional<std::size_t> data_length;  // nullopt: the extension is left out
  std::vector<unsigned char> zeros;
};

// Registers the padding extension on `ctx` (left out until size_hello_padding sizes it).
tl::expected<std::unique_ptr<HelloPadding>, std::string> add_hello_padding(SSL_CTX* ctx);

// The ClientHello size cannot be known inside the extension callback (extensions after ours
// are not built yet), so it is measured: a throwaway SSL of the same SSL_CTX, set up by
// `configure` exactly like the real one, writes its ClientHello into a memory BIO; the padding
// is then sized so that the real ClientHello (the same fields, fresh random values of the same
// lengths) reaches `pad_to` bytes, handshake header included. Leaves the padding out when the
// hello is already large enough or cannot be built (the real handshake then reports why).
void size_hello_padding(SSL_CTX* ctx, HelloPadding& padding, std::size_t pad_to,
                        const std::function<bool(SSL*)>& configure);

// Size in bytes of the ClientHello `ssl` (fresh, not connected) would send: handshake message
// with its 4-byte header. nullopt when OpenSSL cannot build one (no protocols, bad groups).
std::optional<std::size_t> measure_client_hello(SSL* ssl);

// kHybridGroupsList when this OpenSSL accepts it, else nullopt. Checked once per process.
std::optional<std::string> hybrid_groups_list();

}  // namespace tlsdoctor::tls
