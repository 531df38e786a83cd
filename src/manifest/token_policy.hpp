#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace getmesh::manifest {

// A URL's scheme and authority, parsed as curl and Go parse them: the userinfo ends at the last
// '@' of the authority, an IPv6 host is in brackets. Nullopt for anything not plainly
// scheme://authority[/...] (spaces, backslashes, control characters, an empty host).
struct UrlAuthority {
  std::string scheme;  // lowercase
  bool has_userinfo = false;
  std::string host;  // lowercase, IPv6 without brackets
  std::string port;  // empty when not given
  // "scheme://host:port": what decides whether two URLs are the same server.
  [[nodiscard]] std::string origin() const;
};
std::optional<UrlAuthority> parse_authority(std::string_view url);

// Whether `host` is a loopback address by its parsed name: localhost, 127.0.0.0/8 or ::1.
bool is_loopback_host(std::string_view host);

// Whether the catalogue's GitHub token may go to `url`: https, or plain http to a loopback host,
// and never a URL with userinfo (whose "host" part readers mistake for the server).
bool may_send_token(std::string_view url);

}  // namespace getmesh::manifest
