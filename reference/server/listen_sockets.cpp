// Parses listen addresses and binds the reference's acceptors, each error naming the address it is about.
#include "reference/server/listen_sockets.h"

#include <sys/socket.h>

#include <charconv>
#include <system_error>

#include <boost/asio/ip/v6_only.hpp>

namespace tlsdoctor::reference {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using boost::system::error_code;

namespace {

using ReusePort = asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;

}  // namespace

tl::expected<ListenAddress, Error> parse_listen_address(const std::string& text) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) return tl::unexpected(Error{text, "expected ADDRESS:PORT"});
  std::string address = text.substr(0, colon);
  if (address.size() > 2 && address.front() == '[' && address.back() == ']')
    address = address.substr(1, address.size() - 2);
  unsigned port = 0;
  const std::string port_text = text.substr(colon + 1);
  const auto [end, error] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (error != std::errc() || end != port_text.data() + port_text.size() || port > 65535) {
    return tl::unexpected(Error{text, "the port must be a number from 0 to 65535"});
  }
  error_code ec;
  (void)asio::ip::make_address(address, ec);
  if (ec) return tl::unexpected(Error{text, "not an IP address: " + address});
  return ListenAddress{address, static_cast<std::uint16_t>(port)};
}


tl::expected<std::vector<tcp::acceptor>, Error> bind_all(asio::io_context& io, const std::vector<std::string>& listen,
                                                         bool reuse_port, const std::vector<std::uint16_t>& ports) {
  std::vector<tcp::acceptor> acceptors;
  for (std::size_t i = 0; i < listen.size(); ++i) {
    const auto& text = listen[i];
    auto where = parse_listen_address(text);
    if (!where) return tl::unexpected(where.error());
    error_code ec;
    tcp::endpoint endpoint(asio::ip::make_address(where->address, ec), i < ports.size() ? ports[i] : where->port);
    if (reuse_port && ports.empty() && endpoint.port() != 0) {
      // SO_REUSEPORT would let this server share a port another process of the same user
      // already serves (a second instance started by mistake would silently get half the
      // connections): the port must be free for a plain bind first.
      tcp::acceptor probe(io);
      probe.open(endpoint.protocol(), ec);
      if (!ec) probe.set_option(asio::socket_base::reuse_address(true), ec);
      if (!ec && endpoint.address().is_v6()) probe.set_option(asio::ip::v6_only(true), ec);
      if (!ec) probe.bind(endpoint, ec);
      if (ec) return tl::unexpected(Error{text, "cannot listen: " + ec.message()});
    }
    tcp::acceptor acceptor(io);
    acceptor.open(endpoint.protocol(), ec);
    if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec && reuse_port) acceptor.set_option(ReusePort(true), ec);
    if (!ec && endpoint.address().is_v6()) acceptor.set_option(asio::ip::v6_only(true), ec);
    if (!ec) acceptor.bind(endpoint, ec);
    if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) return tl::unexpected(Error{text, "cannot listen: " + ec.message()});
    acceptors.push_back(std::move(acceptor));
  }
  return acceptors;
}

std::vector<std::uint16_t> bound_ports(const std::vector<tcp::acceptor>& acceptors) {
  std::vector<std::uint16_t> out;
  for (const auto& acceptor : acceptors) {
    error_code ec;
    out.push_back(acceptor.local_endpoint(ec).port());
  }
  return out;
}

}  // namespace tlsdoctor::reference
