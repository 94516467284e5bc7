// Builds the echo answer from what the TLS layer and the HTTP request showed of one connection.
#pragma once

#include "reference/protocol/messages.h"
#include "reference/server/request.h"

namespace tlsdoctor::reference {

// Fingerprints (JA3, JA4) and SNI/ALPN come from parsing the raw ClientHello with the checker's
// own parser, so both sides compute them the same way; a ClientHello that does not parse
// leaves them empty and is still echoed raw. Wire text (method, target, headers, SNI, ALPN)
// that is not UTF-8 is echoed with those bytes as "\xNN".
EchoAnswer make_echo_answer(Envelope envelope, const Request& request);

}  // namespace tlsdoctor::reference
