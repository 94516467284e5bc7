// The process-wide cache behind decode_certificate: one decode per distinct DER, shared by reference count.
#include "pki/decoded_certificates.h"

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include <openssl/x509.h>

#include "pki/certificate.h"
#include "pki/openssl_reason.h"

namespace tlsdoctor::pki {
namespace {

// One DER's decoding: filled once by whichever thread comes first, then read by all.
struct Slot {
  std::once_flag once;
  X509Ptr cert;  // null when decoding failed
  std::size_t consumed = 0;
};

struct Cache {
  std::mutex mutex;
  std::unordered_map<std::string, std::shared_ptr<Slot>> slots;
  std::size_t bytes = 0;
};

Cache& cache() {
  static Cache* instance = new Cache;  // never destroyed: threads may decode during exit
  return *instance;
}

tl::expected<DecodedCertificate, Error> decode_now(std::span<const std::uint8_t> der) {
  const unsigned char* p = der.data();
  X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (!cert) {
    return tl::unexpected(
        Error{"certificate", "not a valid X.509 certificate: " + take_openssl_reason("unparsable DER")});
  }
  return DecodedCertificate{std::move(cert), static_cast<std::size_t>(p - der.data())};
}

// Drops a slot whose bytes did not decode, unless another has replaced it meanwhile.
void forget(const std::string& key, const std::shared_ptr<Slot>& slot) {
  Cache& shared = cache();
  const std::lock_guard lock(shared.mutex);
  if (auto found = shared.slots.find(key); found != shared.slots.end() && found->second == slot) {
    shared.bytes -= key.size();
    shared.slots.erase(found);
  }
}

tl::expected<DecodedCertificate, Error> share(const Slot& slot) {
  if (X509_up_ref(slot.cert.get()) != 1) {
    return tl::unexpected(Error{"certificate", take_openssl_reason("cannot share the decoded certificate")});
  }
  return DecodedCertificate{X509Ptr(slot.cert.get()), slot.consumed};
}

}  // namespace

tl::expected<DecodedCertificate, Error> decode_certificate(std::span<const std::uint8_t> der) {
  if (der.empty()) return tl::unexpected(Error{"certificate", "no bytes"});
  if (der.size() > kMaxCertificateBytes) {
    return tl::unexpected(Error{"certificate", "larger than " + std::to_string(kMaxCertificateBytes) +
                                                   " bytes; not parsed"});
  }
  if (der.size() > kMaxSharedCertificateBytes) return decode_now(der);

  std::string key(der.begin(), der.end());
  std::shared_ptr<Slot> slot;
  {
    Cache& shared = cache();
    const std::lock_guard lock(shared.mutex);
    if (auto found = shared.slots.find(key); found != shared.slots.end()) {
      slot = found->second;
    } else if (shared.slots.size() < kMaxSharedCertificates && shared.bytes + key.size() <= kMaxSharedDecodedBytes) {
      slot = std::make_shared<Slot>();
      shared.bytes += key.size();
      shared.slots.emplace(std::move(key), slot);
    }
  }
  if (!slot) return decode_now(der);  // the budget is spent
  // Decoded outside the map's lock: other certificates proceed, and a second thread asking for
  // these bytes waits here for the first one's result instead of decoding them again.
  std::optional<Error> failed;  // set when this thread decoded the bytes and they failed
  std::call_once(slot->once, [&] {
    if (auto decoded = decode_now(der)) {
      slot->cert = std::move(decoded->cert);
      slot->consumed = decoded->consumed;
    } else {
      failed = std::move(decoded.error());
    }
  });
  if (!slot->cert) {
    forget(std::string(der.begin(), der.end()), slot);
    if (failed) return tl::unexpected(std::move(*failed));
    return decode_now(der);  // another thread's failure: decoded again for this one's reason
  }
  return share(*slot);
}

}  // namespace tlsdoctor::pki
