// tlsdoctor-reference run as a process by the lab on 127.0.0.1: the real reference for end-to-end tests and scenarios.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <tl/expected.hpp>

#include "lab/background_process.h"
#include "lab/temp_tree.h"

namespace tlsdoctor::lab {

// A started reference: its directory (keys, certificate), the process, and how to reach it.
struct ReferenceProcess {
  TempTree dir;
  std::unique_ptr<BackgroundProcess> process;
  std::uint16_t port = 0;             // its first TLS listener
  std::filesystem::path root_pem;     // the lab root its certificate chains to
  std::filesystem::path public_key;   // signing.pub, for --reference-key
  std::uint16_t captive_port = 0;     // with `captive`: the plain-HTTP captive-portal page
  std::string address = "127.0.0.1";  // where it listens

  // "https://lab.tlsdoctor.test:PORT" (resolve kLabHostName to `address`) and the captive page.
  std::string url() const;
  std::string captive_url() const;
};

struct ReferenceProcessOptions {
  std::vector<std::string> extra_args;  // more `serve` flags (--allow-cidr, --ca-file, ...)
  bool captive = false;                 // also serve the captive-portal page on a free port
  std::uint16_t port = 0;               // its TLS port (0: the kernel's choice)
  std::string address = "127.0.0.1";    // where it listens (TLS and the captive page)
};

// keygen, then serve with the lab's certificate for kLabHostName on 127.0.0.1 port 0, waiting
// (bounded) for its "listening" line. Errors say which step failed, with the program's output.
tl::expected<ReferenceProcess, std::string> start_reference_process(const ReferenceProcessOptions& options = {});

// serve's "listening" event from its log (null when absent), and its first port (0 when absent).
nlohmann::json listening_event(const std::string& log);
std::uint16_t listening_port(const std::string& log);

}  // namespace tlsdoctor::lab
