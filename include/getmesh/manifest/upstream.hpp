#pragma once

#include <getmesh/core/date.hpp>
#include <getmesh/core/result.hpp>
#include <getmesh/core/version.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace getmesh::manifest {

// One platform's istioctl archive of an upstream release (a GitHub release asset).
struct UpstreamDownload {
  std::string url;           // browser_download_url
  std::string digest;        // the asset's `digest` as lower-case hex; empty when GitHub has none
  std::string checksum_url;  // browser_download_url of the `.sha256` asset beside it, or empty
  std::uint64_t size = 0;    // the asset's `size` in bytes; 0 when GitHub does not say
};

// A community Istio release read from the istio/istio GitHub releases, reduced to what getmesh
// uses. Only releases with at least one istioctl archive are kept.
struct UpstreamRelease {
  std::string tag;  // "1.32.0", or "1.33.0-alpha.0" for a prerelease
  Version version;  // X.Y.Z of the tag, without a prerelease suffix
  bool prerelease = false;
  CivilDate published;
  std::string notes_url;           // the release page (html_url); may be empty
  bool is_security_patch = false;  // its notes say plainly that it fixes security issues
  std::map<std::string, UpstreamDownload> downloads;  // by platform key, "linux-amd64"
};

// Reads one page of `GET /repos/istio/istio/releases` (a JSON list of release objects). Drafts and
// releases without an istioctl archive are left out. Anything malformed (not a list, a release
// without a version tag or a publication date, an istioctl asset with a bad URL or digest) is an
// error naming `url` and the release: a bad answer is never half used.
Result<std::vector<UpstreamRelease>> parse_releases_page(std::string_view json,
                                                         const std::string& url);

// The `rel="next"` URL of a GitHub `Link` header, if any.
std::optional<std::string> next_page_url(std::string_view link_header);

// True when release notes say plainly that a release fixes security issues: an ISTIO-SECURITY
// bulletin, a CVE identifier, or "security fix", "security release", "security patch",
// "security update" not negated ("no security fixes", "not a security release").
bool mentions_security_fix(std::string_view notes);

// Platform key of an istioctl archive name of release `tag`: "istioctl-1.32.0-osx.tar.gz" ->
// "osx-amd64"; nullopt for other assets.
std::optional<std::string> istioctl_archive_platform(std::string_view asset_name,
                                                     std::string_view tag);

}  // namespace getmesh::manifest
