// The lab's HTTPS date server: answers every request with a Date header of the test's choosing.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <tl/expected.hpp>

#include "lab/scenario_server.h"

namespace tlsdoctor::lab {

struct DateServerOptions {
  std::string bind_address = "127.0.0.1";
  // Whose certificate it presents: Good's (valid now) or Expired's, to show that a Date source is
  // still believed when only this machine's clock makes its certificate look out of date.
  Behaviour certificate = Behaviour::Good;
  // The Date it sends: the true time moved by `offset` (a server, or a machine, whose clock is off)...
  std::chrono::seconds offset{0};
  // ...or this exact value ("" sends no Date header at all).
  std::optional<std::string> fixed_date;
  int status = 200;
};

// "Sun, 06 Nov 1994 08:49:37 GMT" (IMF-fixdate).
std::string http_date(std::chrono::system_clock::time_point t);

class DateServer {
 public:
  // Binds bind_address port 0 and answers on a thread of its own until destroyed.
  static tl::expected<std::unique_ptr<DateServer>, LabError> start(const DateServerOptions& options);
  virtual ~DateServer() = default;

  virtual std::string address() const = 0;
  virtual std::uint16_t port() const = 0;
  // "https://lab.tlsdoctor.test:PORT/" and the --resolve entry that sends that name here.
  std::string url() const;
  std::string resolve_entry() const;
  virtual std::size_t requests_answered() const = 0;
};

// Two date servers (127.0.0.1 and 127.0.0.2, both named kLabHostName) whose Dates are `offset`
// from the true time, and the lab root in a PEM file: what a clock test points its time
// sources at. To the clock check, this machine then looks -offset from the right time.
struct SkewedTimeHosts {
  std::unique_ptr<DateServer> a;
  std::unique_ptr<DateServer> b;
  std::string ca_file;

  static tl::expected<SkewedTimeHosts, LabError> start(std::chrono::seconds offset, const std::string& ca_file);
  std::vector<std::string> urls() const;
  std::vector<std::string> resolve_entries() const;
};

}  // namespace tlsdoctor::lab
