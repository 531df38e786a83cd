#include <getmesh/ca/endpoint.hpp>
#include <getmesh/core/strings.hpp>

namespace getmesh::ca {

namespace {

bool is_loopback(std::string_view host) {
  return host == "127.0.0.1" || host == "[::1]" || host == "localhost" || host.starts_with("127.");
}

std::string_view host_of(std::string_view rest) {
  const auto authority = rest.substr(0, rest.find_first_of("/?#"));
  if (authority.starts_with('[')) return authority.substr(0, authority.find(']') + 1);
  return authority.substr(0, authority.find(':'));
}

}  // namespace

Result<std::string> check_endpoint(std::string_view url, std::string_view origin) {
  std::string text(trim(url));
  while (text.ends_with('/')) text.pop_back();
  const bool https = text.starts_with("https://");
  const bool http = text.starts_with("http://");
  const auto host = host_of(std::string_view(text).substr(https ? 8 : http ? 7 : 0));
  if ((!https && !http) || host.empty() || text.find_first_of(" \t\r\n") != std::string::npos) {
    return usage_error(std::string(origin) + " " + quote(url) + " is not an http(s) URL",
                       "give a URL such as https://example.com");
  }
  if (http && !is_loopback(host)) {
    return usage_error(
        std::string(origin) + " " + quote(url) + " would send credentials over plain http",
        "use https; plain http is only allowed to 127.0.0.1 or localhost");
  }
  return text;
}

}  // namespace getmesh::ca
