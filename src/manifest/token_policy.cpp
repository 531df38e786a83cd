#include "manifest/token_policy.hpp"

#include <getmesh/core/strings.hpp>

#include <algorithm>
#include <charconv>

namespace getmesh::manifest {

namespace {

// RFC 3986's characters of an authority (unreserved, sub-delims, ':', '@', '[', ']', '%').
bool is_authority_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
         std::string_view("-._~!$&'()*+,;=:@[]%").find(c) != std::string_view::npos;
}

bool is_ipv4_loopback(std::string_view host) {
  const auto parts = split(host, '.');
  if (parts.size() != 4) return false;
  for (const auto& part : parts) {
    int value = -1;
    const auto* end = part.data() + part.size();
    if (part.empty() || part.size() > 3 || std::from_chars(part.data(), end, value).ptr != end ||
        value > 255) {
      return false;
    }
  }
  return parts.front() == "127";
}

}  // namespace

std::string UrlAuthority::origin() const {
  return scheme + "://" + (host.find(':') != std::string::npos ? "[" + host + "]" : host) +
         (port.empty() ? "" : ":" + port);
}

std::optional<UrlAuthority> parse_authority(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos || scheme_end == 0) return std::nullopt;
  UrlAuthority parsed;
  parsed.scheme = to_lower(url.substr(0, scheme_end));
  auto authority = url.substr(scheme_end + 3);
  authority = authority.substr(0, authority.find_first_of("/?#"));
  if (!std::all_of(authority.begin(), authority.end(), is_authority_char)) return std::nullopt;
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    parsed.has_userinfo = true;
    authority.remove_prefix(at + 1);
  }
  std::string_view host = authority;
  std::string_view port;
  if (authority.starts_with("[")) {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    host = authority.substr(1, close - 1);
    const auto after = authority.substr(close + 1);
    if (!after.empty() && !after.starts_with(":")) return std::nullopt;
    if (!after.empty()) port = after.substr(1);
  } else if (const auto colon = authority.find(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (host.empty() || host.find_first_of("[]@") != std::string_view::npos) return std::nullopt;
  if (!std::all_of(port.begin(), port.end(),
                   [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; })) {
    return std::nullopt;
  }
  parsed.host = to_lower(host);
  parsed.port = std::string(port);
  return parsed;
}

bool is_loopback_host(std::string_view host) {
  return host == "localhost" || host == "::1" || is_ipv4_loopback(host);
}

bool may_send_token(std::string_view url) {
  const auto parsed = parse_authority(url);
  if (!parsed || parsed->has_userinfo) return false;
  return parsed->scheme == "https" || (parsed->scheme == "http" && is_loopback_host(parsed->host));
}

}  // namespace getmesh::manifest
