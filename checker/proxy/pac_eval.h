// Runs a PAC script's FindProxyForURL with pacparser, isolated in a child process.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "core/deadline.h"
#include "proxy/pac_error.h"
#include "proxy/proxy_route.h"

namespace tlsdoctor::proxy {

// An answer names a handful of proxies; anything longer comes from a runaway script.
inline constexpr std::size_t kMaxPacAnswerBytes = 64 * 1024;

// pacparser's JavaScript engine needs a few MB; the child may grow its address space by this
// much over what it inherited, so that a script that allocates without bound fails instead of
// exhausting the machine before its deadline kills it. (Not applied under AddressSanitizer,
// which reserves terabytes of address space for its shadow memory.)
inline constexpr std::uint64_t kPacChildHeadroomBytes = 512ull * 1024 * 1024;

// FindProxyForURL(url, host) as a string ("PROXY proxy:3128; DIRECT").
//
// pacparser keeps global state, is not thread-safe, and a hostile or broken script can loop
// forever; its dnsResolve, isInNet, isResolvable and myIpAddress do real, blocking DNS lookups
// (getaddrinfo; myIpAddress resolves this machine's host name). So every evaluation runs in a
// forked child that writes its answer to a pipe and is killed at `deadline`; the lookups are
// bounded by the same deadline. POSIX only (fork).
tl::expected<std::string, PacError> evaluate_pac(std::string_view script, std::string_view url,
                                                 std::string_view host, const Deadline& deadline);

// evaluate_pac, then parse_pac_answer.
tl::expected<std::vector<ProxyRoute>, PacError> find_proxy_with_pac(std::string_view script,
                                                                    std::string_view url,
                                                                    std::string_view host,
                                                                    const Deadline& deadline);

}  // namespace tlsdoctor::proxy
