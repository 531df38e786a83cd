#include "kube/proxy.hpp"

#include <getmesh/core/strings.hpp>

#include <arpa/inet.h>
#include <array>
#include <cstdint>
#include <optional>

namespace getmesh::kube {

namespace {

// An IPv4 or IPv6 address as 16 bytes (IPv4 mapped into IPv6, as Go compares them).
using Address = std::array<std::uint8_t, 16>;

std::optional<Address> parse_ip(const std::string& text) {
  Address address{};
  in_addr v4{};
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) {
    address[10] = address[11] = 0xff;
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(&v4.s_addr);
    std::copy(bytes, bytes + 4, address.begin() + 12);
    return address;
  }
  if (inet_pton(AF_INET6, text.c_str(), address.data()) == 1) return address;
  return std::nullopt;
}

bool is_v4(const Address& address) {
  for (std::size_t i = 0; i < 10; ++i) {
    if (address[i] != 0) return false;
  }
  return address[10] == 0xff && address[11] == 0xff;
}

bool is_loopback(const Address& address) {
  if (is_v4(address)) return address[12] == 127;
  Address one{};
  one[15] = 1;
  return address == one;
}

// `address` in `cidr` ("10.0.0.0/8", "fd00::/8"); nullopt when `cidr` is not a CIDR.
std::optional<bool> in_cidr(const Address& address, const std::string& cidr) {
  const auto slash = cidr.find('/');
  if (slash == std::string::npos) return std::nullopt;
  const auto network = parse_ip(cidr.substr(0, slash));
  const auto bits_text = cidr.substr(slash + 1);
  if (!network || bits_text.empty() || bits_text.size() > 3 ||
      bits_text.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  auto bits = std::stoul(bits_text);
  if (bits > (is_v4(*network) ? 32u : 128u)) return std::nullopt;
  if (is_v4(*network) != is_v4(address)) return false;
  if (is_v4(*network)) bits += 96;
  for (std::size_t i = 0; i < bits; ++i) {
    const auto mask = static_cast<std::uint8_t>(0x80 >> (i % 8));
    if ((address[i / 8] & mask) != ((*network)[i / 8] & mask)) return false;
  }
  return true;
}

// Splits "host:port" and "[v6]:port"; nullopt without a port (as Go's net.SplitHostPort fails).
std::optional<std::pair<std::string, std::string>> split_host_port(const std::string& text) {
  if (text.starts_with("[")) {
    const auto close = text.find(']');
    if (close == std::string::npos || close + 1 >= text.size() || text[close + 1] != ':')
      return std::nullopt;
    return std::pair{text.substr(1, close - 1), text.substr(close + 2)};
  }
  const auto colon = text.find(':');
  if (colon == std::string::npos || text.find(':', colon + 1) != std::string::npos)
    return std::nullopt;
  return std::pair{text.substr(0, colon), text.substr(colon + 1)};
}

// True when NO_PROXY's `entry` (lower case, trimmed) exempts host:port.
bool exempts(const std::string& entry, const std::string& host, const std::string& port,
             const std::optional<Address>& ip) {
  if (entry == "*") return true;
  if (ip) {
    if (const auto inside = in_cidr(*ip, entry)) return *inside;
  } else if (entry.find('/') != std::string::npos && parse_ip(entry.substr(0, entry.find('/')))) {
    return false;  // a CIDR never matches a name
  }
  std::string entry_host = entry;
  std::string entry_port;
  if (const auto parts = split_host_port(entry)) {
    if (parts->first.empty()) return false;  // ":80" is malformed; Go ignores it
    entry_host = parts->first;
    entry_port = parts->second;
  }
  if (const auto entry_ip = parse_ip(entry_host)) {
    return ip && *entry_ip == *ip && (entry_port.empty() || entry_port == port);
  }
  if (entry_host.empty()) return false;
  if (entry_host.starts_with("*.")) entry_host.erase(0, 1);
  const bool match_host = !entry_host.starts_with(".");
  if (match_host) entry_host = "." + entry_host;
  const bool matches = host.ends_with(entry_host) || (match_host && host == entry_host.substr(1));
  return matches && (entry_port.empty() || entry_port == port);
}

std::string first_set(const Environment& environment, const char* upper, const char* lower) {
  if (auto value = environment.get(upper)) return *value;
  return environment.get(lower).value_or("");
}

}  // namespace

std::string proxy_for(const std::string& server, const std::string& cluster_proxy_url,
                      const Environment& environment) {
  if (!cluster_proxy_url.empty()) return cluster_proxy_url;
  const bool https = to_lower(server.substr(0, 8)) == "https://";
  auto proxy = https ? first_set(environment, "HTTPS_PROXY", "https_proxy")
                     : first_set(environment, "HTTP_PROXY", "http_proxy");
  if (proxy.empty()) return {};
  // Go takes a proxy without a scheme as http://.
  if (proxy.find("://") == std::string::npos) proxy = "http://" + proxy;

  auto authority = server.substr(server.find("://") + 3);
  authority = authority.substr(0, authority.find_first_of("/?#"));
  if (const auto at = authority.rfind('@'); at != std::string::npos) authority.erase(0, at + 1);
  std::string host = authority;
  std::string port = https ? "443" : "80";
  if (const auto parts = split_host_port(authority)) {
    host = parts->first;
    if (!parts->second.empty()) port = parts->second;
  } else if (host.starts_with("[") && host.ends_with("]")) {
    host = host.substr(1, host.size() - 2);
  }
  host = to_lower(host);
  const auto ip = parse_ip(host);
  if (host == "localhost" || (ip && is_loopback(*ip))) return {};
  for (const auto& raw : split(first_set(environment, "NO_PROXY", "no_proxy"), ',')) {
    const auto entry = to_lower(trim(raw));
    if (!entry.empty() && exempts(entry, host, port, ip)) return {};
  }
  return proxy;
}

}  // namespace getmesh::kube
