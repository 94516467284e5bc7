// The reference's listening sockets: "ADDR:PORT" texts parsed, bound and listened on, and the ports they got.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <tl/expected.hpp>

#include "core/error.h"

namespace tlsdoctor::reference {

// Parses "ADDR:PORT" ("[v6]:port" for IPv6) into address text and port; errors name the text.
struct ListenAddress {
  std::string address;
  std::uint16_t port = 0;
};
tl::expected<ListenAddress, Error> parse_listen_address(const std::string& text);

// Opens, binds and listens on every address of `listen` on `io`; errors name the address.
// `ports`, when given, replaces each address's port (sibling acceptors bind the ports the first
// set got); `reuse_port` lets several io contexts' acceptors share a port, after checking that
// no other process serves it already.
tl::expected<std::vector<boost::asio::ip::tcp::acceptor>, Error> bind_all(boost::asio::io_context& io,
                                                                          const std::vector<std::string>& listen,
                                                                          bool reuse_port,
                                                                          const std::vector<std::uint16_t>& ports = {});

// The port each acceptor is bound to (0 for one that is closed).
std::vector<std::uint16_t> bound_ports(const std::vector<boost::asio::ip::tcp::acceptor>& acceptors);

}  // namespace tlsdoctor::reference
