// A network namespace the lab creates for one test, joined to this one by a veth pair, with iptables rules of its own.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <tl/expected.hpp>

namespace tlsdoctor::lab {

class NetworkNamespace {
 public:
  // Creates a namespace with a unique name and a veth pair in a /30 of 198.51.100.0/24 (the
  // host end first, the namespace end second), loopback and both ends up. Needs root
  // (CAP_NET_ADMIN); errors carry `ip`'s own words.
  static tl::expected<std::unique_ptr<NetworkNamespace>, std::string> create();
  NetworkNamespace(std::string name, std::string host_address, std::string inside_address)
      : name_(std::move(name)), host_address_(std::move(host_address)), inside_address_(std::move(inside_address)) {}
  // Deletes the lab namespaces left by processes that no longer run (a suite killed mid-way);
  // returns how many.
  static int remove_stale();
  // Deletes the namespace (its veth end and rules go with it).
  ~NetworkNamespace();
  NetworkNamespace(const NetworkNamespace&) = delete;
  NetworkNamespace& operator=(const NetworkNamespace&) = delete;

  const std::string& name() const { return name_; }
  const std::string& host_address() const { return host_address_; }      // servers listen here
  const std::string& inside_address() const { return inside_address_; }  // the namespace's own
  // Runs `iptables ARGS...` inside the namespace; errors carry iptables' words.
  tl::expected<void, std::string> iptables(const std::vector<std::string>& args);
  // The command prefix that runs a program inside: {"ip", "netns", "exec", NAME}.
  std::vector<std::string> exec_prefix() const { return {"ip", "netns", "exec", name_}; }
  // The rules as `iptables-save` lists them, for a failing test to show.
  std::string logs() const;

 private:
  std::string name_;
  std::string host_address_;
  std::string inside_address_;
};

}  // namespace tlsdoctor::lab
