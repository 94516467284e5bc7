// Reading one HTTP/1.1 request with Beast: the parser's limits, and the Request the router gets from it.
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "reference/server/request.h"

namespace tlsdoctor::reference {

using RequestMessage = boost::beast::http::request<boost::beast::http::string_body>;
using RequestParser = boost::beast::http::request_parser<boost::beast::http::string_body>;

// A parser with the server's header and body limits (server_limits.h) already set.
void apply_request_limits(RequestParser& parser);

// What the router needs of a parsed request: method, target, headers in order, body, the peer
// and what TLS showed.
Request to_request(const RequestMessage& message, const PeerAddress& peer, TlsFacts facts);

}  // namespace tlsdoctor::reference
