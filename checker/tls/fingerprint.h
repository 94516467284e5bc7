// ClientHello fingerprints: JA3 (string and MD5) and JA4, computed from a parsed ClientHello.
#pragma once

#include <string>

#include "tls/client_hello.h"

namespace tlsdoctor::tls {

// "771,4865-4866-...,0-23-65281-...,29-23-24,0" (GREASE left out, decimal, dash-joined).
std::string ja3_string(const ClientHello& hello);
// MD5 of ja3_string, lower-case hex: what tshark prints as tls.handshake.ja3.
std::string ja3_hash(const ClientHello& hello);
// "t13d1516h2_8daaf6152771_e5627efa2ab1" (FoxIO JA4, TCP).
std::string ja4(const ClientHello& hello);

}  // namespace tlsdoctor::tls
