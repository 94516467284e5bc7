// Name resolution with a deadline: getaddrinfo on a detached thread whose result outlives an impatient caller.
#include "tls/dns.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstring>
#include <memory>
#include <mutex>
#include <thread>

namespace tlsdoctor::tls {
namespace {

using Clock = std::chrono::steady_clock;

std::chrono::milliseconds since(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
}

std::string_view strip_brackets(std::string_view host) {
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') return host.substr(1, host.size() - 2);
  return host;
}

std::string address_text(const sockaddr* address) {
  char text[INET6_ADDRSTRLEN] = {};
  if (address->sa_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(address)->sin_addr, text, sizeof(text));
  } else if (address->sa_family == AF_INET6) {
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(address)->sin6_addr, text, sizeof(text));
  }
  return text;
}

// Copies getaddrinfo's list, in its order, without repeats (hosts files and resolvers can list
// one address twice; a second attempt to it tells nothing new).
std::vector<ResolvedAddress> collect(const addrinfo* list) {
  std::vector<ResolvedAddress> out;
  for (const addrinfo* ai = list; ai != nullptr && out.size() < kMaxResolvedAddresses; ai = ai->ai_next) {
    if ((ai->ai_family != AF_INET && ai->ai_family != AF_INET6) || ai->ai_addrlen > sizeof(sockaddr_storage)) {
      continue;
    }
    ResolvedAddress address;
    std::memcpy(&address.storage, ai->ai_addr, ai->ai_addrlen);
    address.length = ai->ai_addrlen;
    address.text = address_text(ai->ai_addr);
    const bool seen = std::any_of(out.begin(), out.end(), [&](const ResolvedAddress& a) { return a.text == address.text; });
    if (!seen) out.push_back(std::move(address));
  }
  return out;
}

struct AddrinfoDeleter {
  void operator()(addrinfo* list) const noexcept { freeaddrinfo(list); }
};
using AddrinfoPtr = std::unique_ptr<addrinfo, AddrinfoDeleter>;

// One lookup's result, shared by the resolving thread and the caller: whichever lets go last
// frees it, so a caller that stopped waiting leaves nothing dangling.
struct Lookup {
  std::mutex mutex;
  std::condition_variable finished;
  bool done = false;
  bool abandoned = false;  // the caller returned dns_timeout and counts this in g_abandoned
  int code = 0;
  int system_errno = 0;
  std::vector<ResolvedAddress> addresses;
};

std::atomic<std::size_t> g_abandoned{0};

void run_lookup(const std::shared_ptr<Lookup>& lookup, AddressLookup function, const std::string& host,
                const std::string& service) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  // No AI_ADDRCONFIG: it hides ::1 on hosts whose only IPv6 address is loopback, and a probe
  // wants every address the name has, reachable or not (unreachable is an observation).
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* raw = nullptr;
  const int code = function(host.c_str(), service.c_str(), &hints, &raw);
  const int saved_errno = errno;
  const AddrinfoPtr list(raw);
  std::lock_guard lock(lookup->mutex);
  lookup->code = code;
  lookup->system_errno = saved_errno;
  if (code == 0) lookup->addresses = collect(list.get());
  lookup->done = true;
  if (lookup->abandoned) --g_abandoned;
  lookup->finished.notify_all();
}

}  // namespace

bool is_ip_literal(std::string_view host) {
  std::string plain(strip_brackets(host));
  in_addr v4{};
  if (inet_pton(AF_INET, plain.c_str(), &v4) == 1) return true;
  // A zone ("fe80::1%eth0") is not part of the address inet_pton reads.
  if (const auto zone = plain.find('%'); zone != std::string::npos) plain.erase(zone);
  in6_addr v6{};
  return inet_pton(AF_INET6, plain.c_str(), &v6) == 1;
}

std::optional<ResolvedAddress> literal_address(std::string_view host, std::uint16_t port) {
  if (!is_ip_literal(host)) return std::nullopt;
  const std::string plain(strip_brackets(host));
  const std::string service = std::to_string(port);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  // Numeric only: never a DNS query, and IPv6 zones are understood.
  hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
  addrinfo* raw = nullptr;
  if (getaddrinfo(plain.c_str(), service.c_str(), &hints, &raw) != 0) return std::nullopt;
  const AddrinfoPtr list(raw);
  auto addresses = collect(list.get());
  if (addresses.empty()) return std::nullopt;
  return std::move(addresses.front());
}

Failure classify_getaddrinfo_error(int code) {
  switch (code) {
    case 0: return Failure::None;
    case EAI_NONAME: return Failure::DnsNxdomain;
#ifdef EAI_NODATA
    case EAI_NODATA: return Failure::DnsNoAddress;
#endif
#ifdef EAI_ADDRFAMILY
    case EAI_ADDRFAMILY: return Failure::DnsNoAddress;
#endif
    // EAI_AGAIN (SERVFAIL, no resolver answered) is temporary, but still a resolver failure.
    default: return Failure::DnsError;
  }
}

std::string describe_getaddrinfo_error(int code, int system_errno) {
  if (code == EAI_SYSTEM) return std::string("getaddrinfo: ") + std::strerror(system_errno);
  std::string text = gai_strerror(code);
  if (code == EAI_AGAIN) text += " (temporary: no resolver answered in time, or one answered SERVFAIL)";
  return text;
}

Resolution resolve_host(const std::string& host, std::uint16_t port, const std::vector<std::string>& given,
                        const Deadline& deadline) {
  return resolve_host(host, port, given, deadline, &getaddrinfo);
}

Resolution resolve_host(const std::string& host, std::uint16_t port, const std::vector<std::string>& given,
                        const Deadline& deadline, AddressLookup function) {
  Resolution result;
  if (!given.empty()) {
    result.observation.source = DnsObservation::Source::Given;
    for (const auto& text : given) {
      auto address = literal_address(text, port);
      if (!address) {
        result.failure = Failure::DnsError;
        result.detail = "given address \"" + text + "\" is not an IP address";
        result.observation.error = result.detail;
        result.addresses.clear();
        result.observation.addresses.clear();
        return result;
      }
      result.observation.addresses.push_back(address->text);
      result.addresses.push_back(std::move(*address));
    }
    return result;
  }
  if (auto literal = literal_address(host, port)) {
    result.observation.source = DnsObservation::Source::Literal;
    result.observation.addresses.push_back(literal->text);
    result.addresses.push_back(std::move(*literal));
    return result;
  }

  result.observation.source = DnsObservation::Source::Resolver;
  const auto started = Clock::now();
  auto timed_out = [&] {
    result.failure = Failure::DnsTimeout;
    result.detail = "no answer within " + std::to_string(since(started).count()) + " ms";
    result.observation.error = result.detail;
    result.observation.elapsed = since(started);
    return result;
  };
  if (deadline.expired()) return timed_out();
  if (g_abandoned.load() >= kMaxAbandonedLookups) {
    result.failure = Failure::DnsError;
    result.detail = "too many earlier lookups are still waiting for the resolver";
    result.observation.error = result.detail;
    return result;
  }

  // getaddrinfo cannot be cancelled or given a timeout, and glibc's resolver retries for up to
  // 30 s and more. So it runs on a detached thread that owns a share of the result: when the
  // deadline passes the caller returns dns_timeout at once, and the thread ends on its own
  // whenever getaddrinfo returns, freeing the result if it is the last owner.
  auto lookup = std::make_shared<Lookup>();
  std::thread([lookup, function, host, service = std::to_string(port)] {
    run_lookup(lookup, function, host, service);
  }).detach();

  std::unique_lock lock(lookup->mutex);
  if (!lookup->finished.wait_until(lock, deadline.at(), [&] { return lookup->done; })) {
    lookup->abandoned = true;
    ++g_abandoned;
    lock.unlock();
    return timed_out();
  }
  result.observation.elapsed = since(started);
  if (lookup->code != 0) {
    result.failure = classify_getaddrinfo_error(lookup->code);
    result.detail = describe_getaddrinfo_error(lookup->code, lookup->system_errno);
    result.observation.error = result.detail;
    return result;
  }
  result.addresses = std::move(lookup->addresses);
  for (const auto& address : result.addresses) result.observation.addresses.push_back(address.text);
  if (result.addresses.empty()) {
    result.failure = Failure::DnsNoAddress;
    result.detail = "the name has no IPv4 or IPv6 address";
    result.observation.error = result.detail;
  }
  return result;
}

}  // namespace tlsdoctor::tls
