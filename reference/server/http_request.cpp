// The server's HTTP request limits, and a parsed Beast request turned into the router's Request.
#include "reference/server/http_request.h"

#include "reference/protocol/protocol_version.h"
#include "reference/server/server_limits.h"

namespace tlsdoctor::reference {

void apply_request_limits(RequestParser& parser) {
  parser.header_limit(static_cast<std::uint32_t>(kMaxHeaderBytes));
  parser.body_limit(kMaxRequestBodyBytes);
}

Request to_request(const RequestMessage& message, const PeerAddress& peer, TlsFacts facts) {
  Request request;
  request.method = std::string(message.method_string());
  request.target = std::string(message.target());
  for (const auto& field : message) request.headers.emplace_back(field.name_string(), field.value());
  request.body = message.body();
  request.peer = peer;
  request.tls = std::move(facts);
  return request;
}

}  // namespace tlsdoctor::reference
