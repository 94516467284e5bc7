// Redaction of user, host, home, proxy credentials, URL queries, private and MAC addresses, by hand-written scans.
#include "report/redaction.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <cstring>

namespace tlsdoctor::report {
namespace {

// Login names shared by millions of machines say nothing about whose machine this is, and
// replacing them would mangle ordinary words ("root" in "root certificate").
constexpr std::array<std::string_view, 9> kGenericUsers{"root",  "user",   "admin", "nobody", "pi",
                                                        "guest", "ubuntu", "debian", "administrator"};

bool word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_';
}

// Replaces `needle` where it stands as a whole word (no letter, digit, '-' or '_' either side).
std::string replace_word(std::string_view text, std::string_view needle, std::string_view with) {
  if (needle.empty()) return std::string(text);
  std::string out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto hit = text.find(needle, pos);
    if (hit == std::string_view::npos) break;
    const bool left_ok = hit == 0 || !word_char(text[hit - 1]);
    const auto end = hit + needle.size();
    const bool right_ok = end >= text.size() || !word_char(text[end]);
    out.append(text.substr(pos, hit - pos));
    out.append(left_ok && right_ok ? with : needle);
    pos = end;
  }
  out.append(text.substr(std::min(pos, text.size())));
  return out;
}

// "/home/alice/x" -> "~/x", where the home path ends at a '/' or a non-path character.
std::string replace_home(std::string_view text, std::string_view home) {
  while (home.size() > 1 && home.back() == '/') home.remove_suffix(1);
  if (home.size() <= 1) return std::string(text);
  std::string out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto hit = text.find(home, pos);
    if (hit == std::string_view::npos) break;
    const auto end = hit + home.size();
    const bool ends_path =
        end >= text.size() || text[end] == '/' || (!word_char(text[end]) && text[end] != '.');
    out.append(text.substr(pos, hit - pos));
    out.append(ends_path ? std::string_view("~") : home);
    pos = end;
  }
  out.append(text.substr(std::min(pos, text.size())));
  return out;
}

// "scheme://user:pass@host" -> "scheme://***@host".
std::string replace_url_credentials(std::string_view text) {
  std::string out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto scheme_end = text.find("://", pos);
    if (scheme_end == std::string_view::npos) break;
    const auto authority = scheme_end + 3;
    auto stop = authority;
    while (stop < text.size() && text[stop] != '/' && text[stop] != '@' &&
           !std::isspace(static_cast<unsigned char>(text[stop])) && text[stop] != '"') {
      ++stop;
    }
    out.append(text.substr(pos, authority - pos));
    if (stop < text.size() && text[stop] == '@' && stop > authority) {
      out.append(kRedactedCredentials);
      pos = stop;  // keep the '@'
    } else {
      pos = authority;
    }
  }
  out.append(text.substr(std::min(pos, text.size())));
  return out;
}

// Where a URL that starts at `from` ends: at white space or a character that cannot be in one
// as written in text ('"', '\'', '<', '>').
std::size_t url_end(std::string_view text, std::size_t from) {
  while (from < text.size() && !std::isspace(static_cast<unsigned char>(text[from])) && text[from] != '"' &&
         text[from] != '\'' && text[from] != '<' && text[from] != '>') {
    ++from;
  }
  return from;
}

// "scheme://host/path?mac=...&token=..." -> "scheme://host/path?<query>", and the same for a
// "#fragment": a captive portal's redirect, a PAC URL or a proxy's block page carries the
// client's address, MAC or a session token there.
std::string replace_url_queries(std::string_view text) {
  std::string out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto scheme_end = text.find("://", pos);
    if (scheme_end == std::string_view::npos) break;
    const auto end = url_end(text, scheme_end + 3);
    const auto url = text.substr(scheme_end + 3, end - scheme_end - 3);
    const auto cut = url.find_first_of("?#");
    out.append(text.substr(pos, scheme_end + 3 - pos));
    if (cut == std::string_view::npos || cut + 1 == url.size()) {
      out.append(url);
    } else {
      out.append(url.substr(0, cut + 1));
      out.append(kRedactedQuery);
    }
    pos = end;
  }
  out.append(text.substr(std::min(pos, text.size())));
  return out;
}

bool private_ipv4(const std::array<unsigned, 4>& o) {
  return o[0] == 10 || (o[0] == 172 && o[1] >= 16 && o[1] <= 31) || (o[0] == 192 && o[1] == 168) ||
         (o[0] == 169 && o[1] == 254) || (o[0] == 100 && o[1] >= 64 && o[1] <= 127);
}

bool private_ipv6(std::string_view token) {
  std::string s(token);
  if (const auto pct = s.find('%'); pct != std::string::npos) s.resize(pct);  // zone id
  in6_addr addr{};
  if (inet_pton(AF_INET6, s.c_str(), &addr) != 1) return false;
  const auto b0 = addr.s6_addr[0];
  const auto b1 = addr.s6_addr[1];
  return (b0 & 0xfe) == 0xfc || (b0 == 0xfe && (b1 & 0xc0) == 0x80);  // ULA fc00::/7, fe80::/10
}

bool is_hex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }
bool is_digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

// Length of a private IPv4 address starting at text[i] ("10.1.2.3" of "10.1.2.3:3128"), or 0.
std::size_t private_ipv4_at(std::string_view text, std::size_t i) {
  std::size_t j = i;
  while (j < text.size() && (is_digit(text[j]) || text[j] == '.')) ++j;
  std::string_view token = text.substr(i, j - i);
  while (!token.empty() && token.back() == '.') token.remove_suffix(1);
  if (std::count(token.begin(), token.end(), '.') != 3) return 0;
  in_addr a{};
  if (inet_pton(AF_INET, std::string(token).c_str(), &a) != 1) return 0;
  const auto h = ntohl(a.s_addr);
  return private_ipv4({h >> 24, (h >> 16) & 0xffu, (h >> 8) & 0xffu, h & 0xffu}) ? token.size() : 0;
}

// Length of a private IPv6 address (with its "%zone", if any) starting at text[i], or 0.
std::size_t private_ipv6_at(std::string_view text, std::size_t i) {
  std::size_t j = i;
  while (j < text.size() && (is_hex(text[j]) || text[j] == ':' || text[j] == '.')) ++j;
  std::string_view token = text.substr(i, j - i);
  while (!token.empty() && (token.back() == '.' || token.back() == ':')) token.remove_suffix(1);
  if (std::count(token.begin(), token.end(), ':') < 2 || !private_ipv6(token)) return 0;
  std::size_t len = token.size();
  if (i + len < text.size() && text[i + len] == '%') {
    ++len;
    while (i + len < text.size() && (word_char(text[i + len]) || text[i + len] == '.')) ++len;
  }
  return len;
}

// Length of a MAC address starting at text[i] (six pairs of hex digits joined by one ':' or
// '-' throughout, "aa:bb:cc:dd:ee:ff"), or 0.
std::size_t mac_address_at(std::string_view text, std::size_t i) {
  constexpr std::size_t kLength = 17;
  if (i + kLength > text.size()) return 0;
  const char separator = text[i + 2];
  if (separator != ':' && separator != '-') return 0;
  for (std::size_t k = 0; k < kLength; ++k) {
    const bool ok = k % 3 == 2 ? text[i + k] == separator : is_hex(text[i + k]);
    if (!ok) return 0;
  }
  // A longer run of pairs is a fingerprint or a key, not a MAC address.
  if (i + kLength < text.size() && (is_hex(text[i + kLength]) || text[i + kLength] == separator)) return 0;
  return kLength;
}

// Private and link-local IPv4 (RFC 1918, 169.254/16, CGNAT 100.64/10) and IPv6 (ULA, link-local),
// and MAC addresses.
std::string replace_private_addresses(std::string_view text) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    const bool at_start = i == 0 || !(is_hex(text[i - 1]) || text[i - 1] == '.' ||
                                      text[i - 1] == ':' || word_char(text[i - 1]));
    if (at_start && (is_hex(text[i]) || text[i] == ':')) {
      if (const std::size_t mac = mac_address_at(text, i); mac > 0) {
        out.append(kRedactedMacAddress);
        i += mac;
        continue;
      }
      std::size_t len = private_ipv4_at(text, i);
      if (len == 0) len = private_ipv6_at(text, i);
      if (len > 0) {
        out.append(kRedactedPrivateAddress);
        i += len;
        continue;
      }
      // Not an address: copy the whole run so no address is found inside a longer word.
      std::size_t j = i;
      while (j < text.size() && (is_hex(text[j]) || text[j] == '.' || text[j] == ':' ||
                                 word_char(text[j]))) {
        ++j;
      }
      out.append(text.substr(i, j - i));
      i = j;
      continue;
    }
    out.push_back(text[i]);
    ++i;
  }
  return out;
}

bool generic_user(std::string_view user) {
  return std::find(kGenericUsers.begin(), kGenericUsers.end(), user) != kGenericUsers.end();
}

void redact_json(nlohmann::ordered_json& j, const RedactionSubjects& subjects) {
  if (j.is_string()) {
    j = redact_text(j.get_ref<const std::string&>(), subjects);
  } else if (j.is_structured()) {
    for (auto& child : j) redact_json(child, subjects);
  }
}

void redact_in_place(std::string& s, const RedactionSubjects& subjects) {
  s = redact_text(s, subjects);
}

}  // namespace

std::string redact_text(std::string_view text, const RedactionSubjects& subjects) {
  std::string out = replace_home(text, subjects.home);
  out = replace_url_credentials(out);
  out = replace_url_queries(out);
  out = replace_private_addresses(out);
  if (subjects.host.size() >= 2) {
    out = replace_word(out, subjects.host, kRedactedHost);
    // The short name of a fully qualified host ("box" of "box.corp.example") too.
    const auto dot = subjects.host.find('.');
    if (dot != std::string::npos && dot >= 2) {
      out = replace_word(out, std::string_view(subjects.host).substr(0, dot), kRedactedHost);
    }
  }
  if (subjects.user.size() >= 2 && !generic_user(subjects.user)) {
    out = replace_word(out, subjects.user, kRedactedUser);
  }
  return out;
}

void redact(Report& report, const RedactionSubjects& subjects) {
  report.redacted = true;
  report.system.host = std::string(kRedactedHost);
  report.system.user = std::string(kRedactedUser);
  redact_json(report.run.options, subjects);
  redact_in_place(report.verdict.summary, subjects);
  redact_in_place(report.verdict.first_step, subjects);
  for (auto& c : report.checks) {
    redact_in_place(c.summary, subjects);
    if (c.error) redact_in_place(*c.error, subjects);
    redact_json(c.facts, subjects);
    for (auto& f : c.findings) {
      redact_in_place(f.title, subjects);
      redact_in_place(f.fix, subjects);
      for (auto& e : f.evidence) redact_in_place(e.value, subjects);
    }
  }
  redact_json(report.probes, subjects);
}

}  // namespace tlsdoctor::report
