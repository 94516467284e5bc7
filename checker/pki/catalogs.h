// The certificate catalogs in checker/data (embedded at build time) as typed, searchable lists.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "core/error.h"
#include "pki/certificate.h"

namespace tlsdoctor::pki {

// mozilla_roots.csv: the reference root program (Mozilla's, as Debian ships it).
struct MozillaRoot {
  std::string sha256;
  std::string spki_sha256;
  std::string subject_cn;
  std::string subject_o;
  std::chrono::sys_seconds not_before{};
  std::chrono::sys_seconds not_after{};
};

// bad_roots.csv: roots whose private key is public, CAs browsers distrust, and keys made to
// intercept TLS (a state's or a vendor's man-in-the-middle root).
enum class BadRootMatch { Sha256, SpkiSha256 };
enum class BadRootReason { LeakedKey, Distrusted, Interception };
std::string_view to_string(BadRootReason reason);

struct BadRoot {
  BadRootMatch match = BadRootMatch::Sha256;
  std::string hash;
  std::string name;
  BadRootReason reason = BadRootReason::Distrusted;
  std::string source;
};

// interception_products.csv: issuer name patterns of TLS-intercepting products.
enum class InterceptionKind { Antivirus, CorporateProxy, DebuggingProxy, Adware, ParentalControl };
std::string_view to_string(InterceptionKind kind);
enum class IssuerField { CommonName, Organization, Either };

struct InterceptionProduct {
  std::string pattern;  // case-insensitive substring of the issuer field
  IssuerField field = IssuerField::Either;
  std::string product;
  std::string vendor;
  InterceptionKind kind = InterceptionKind::CorporateProxy;
  std::string source;
};

// essential_roots.csv: roots most of the web needs, and the legacy roots that trap old stores.
enum class EssentialRole { Essential, LegacyTrap };

struct EssentialRoot {
  EssentialRole role = EssentialRole::Essential;
  std::string name;
  std::string sha256;
  std::string spki_sha256;
  std::string replaced_by;  // legacy_trap only: the essential root that took its place
};

template <typename Entry>
struct Catalog {
  std::string source;  // the file's "# source:" line
  std::vector<Entry> entries;
};

struct Catalogs {
  Catalog<MozillaRoot> mozilla_roots;
  Catalog<BadRoot> bad_roots;
  Catalog<InterceptionProduct> interception_products;
  Catalog<EssentialRoot> essential_roots;

  // The program root with this certificate's fingerprint, else one with the same key (a
  // root re-issued with new dates), else nullptr.
  const MozillaRoot* mozilla_root(const Certificate& cert) const;
  // The first bad-root entry matching the certificate or its key, else nullptr.
  const BadRoot* bad_root(const Certificate& cert) const;
  // The first product whose pattern occurs in the certificate's issuer, else nullptr.
  const InterceptionProduct* interception_product(const Certificate& cert) const;
  // True when the certificate is (or has the key of) this essential root.
  static bool matches(const EssentialRoot& root, const Certificate& cert);
};

// Loaders: each validates every row (hash form, known enum words, dates) and names the line
// of the first bad one.
tl::expected<Catalog<MozillaRoot>, Error> load_mozilla_roots(std::string_view csv);
tl::expected<Catalog<BadRoot>, Error> load_bad_roots(std::string_view csv);
tl::expected<Catalog<InterceptionProduct>, Error> load_interception_products(std::string_view csv);
tl::expected<Catalog<EssentialRoot>, Error> load_essential_roots(std::string_view csv);

// All four from the CSVs embedded in the binary.
tl::expected<Catalogs, Error> load_embedded_catalogs();

// "2015-06-04T11:04:38Z" (the catalogs' date form); nullopt when malformed.
std::optional<std::chrono::sys_seconds> parse_utc_timestamp(std::string_view text);

}  // namespace tlsdoctor::pki
