#include <getmesh/ca/gcp_name.hpp>
#include <getmesh/core/strings.hpp>

#include <cctype>

namespace getmesh::ca {

namespace {

bool is_id(std::string_view text) {
  if (text.empty()) return false;
  for (const char c : text) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string CasName::pool_path() const {
  return "projects/" + project + "/locations/" + location + "/caPools/" + pool;
}

Result<CasName> parse_cas_name(std::string_view name) {
  const auto parts = split(name, '/');
  const std::string example =
      "give projects/<project>/locations/<location>/caPools/<pool>, optionally followed by "
      "/certificateAuthorities/<ca>";
  if (parts.size() == 6 && parts[0] == "projects" && parts[2] == "locations" &&
      parts[4] == "certificateAuthorities") {
    return usage_error("the GCP CA name " + quote(name) +
                           " has no CA pool: Certificate Authority Service v1 issues from pools",
                       example);
  }
  const bool pool_only = parts.size() == 6;
  const bool with_ca = parts.size() == 8 && parts[6] == "certificateAuthorities";
  if ((!pool_only && !with_ca) || parts[0] != "projects" || parts[2] != "locations" ||
      parts[4] != "caPools" || !is_id(parts[1]) || !is_id(parts[3]) || !is_id(parts[5]) ||
      (with_ca && !is_id(parts[7]))) {
    return usage_error("the GCP CA name " + quote(name) + " is not a CA pool or CA name", example);
  }
  return CasName{parts[1], parts[3], parts[5], with_ca ? parts[7] : std::string()};
}

}  // namespace getmesh::ca
