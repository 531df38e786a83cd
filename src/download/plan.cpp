#include <getmesh/download/install.hpp>

namespace getmesh::download {

namespace {

// The original getmesh's download host, used for manifests that carry no URLs of their own.
constexpr const char* kLegacyTemplate =
    "https://istio.tetratelabs.io/getmesh/files/istio-{name}-{platform}.tar.gz";

std::string expand(const std::string& url_template, const DistributionName& name,
                   const Platform& platform) {
  const std::pair<std::string, std::string> values[] = {
      {"{version}", name.version.to_string()},
      {"{name}", name.to_string()},
      {"{flavor}", name.flavor},
      {"{flavor_version}", std::to_string(name.flavor_version)},
      {"{os}", platform.os},
      {"{arch}", platform.arch},
      {"{platform}", platform.archive_suffix()},
  };
  std::string url = url_template;
  for (const auto& [placeholder, value] : values) {
    for (auto at = url.find(placeholder); at != std::string::npos; at = url.find(placeholder, at)) {
      url.replace(at, placeholder.size(), value);
      at += value.size();
    }
  }
  return url;
}

}  // namespace

Result<Plan> plan(const manifest::Manifest& manifest, const manifest::Distribution& distribution,
                  const Platform& platform, const Environment& environment) {
  Plan result;
  const auto pinned = distribution.downloads.find(platform.key());
  if (pinned == distribution.downloads.end() &&
      distribution.origin == manifest::Origin::kUpstream) {
    return runtime_error("upstream release " + distribution.name.version.to_string() +
                             " has no istioctl archive for " + platform.key(),
                         "see the platforms it has with \"getmesh manifest export --version " +
                             distribution.name.version.to_string() + "\"");
  }
  if (pinned != distribution.downloads.end()) {
    if (!pinned->second.sha256.empty())
      result.checksums.push_back({pinned->second.sha256, "manifest"});
    if (!pinned->second.upstream_digest.empty()) {
      result.checksums.push_back({pinned->second.upstream_digest, "upstream-digest"});
    }
    result.size = pinned->second.size;
  }

  if (auto mirror = environment.get("GETMESH_MIRROR")) {
    std::string base = *mirror;
    while (!base.empty() && base.back() == '/') base.pop_back();
    if (!base.starts_with("http://") && !base.starts_with("https://") &&
        !base.starts_with("file://")) {
      return usage_error(
          "GETMESH_MIRROR=" + *mirror + " is not an http(s) or file:// URL",
          "set it to the base URL of the mirror, e.g. https://mirror.example.com/istio");
    }
    result.url = base + "/istio-" + distribution.name.to_string() + "-" +
                 platform.archive_suffix() + ".tar.gz";
    result.mirror = base;
  } else if (pinned != distribution.downloads.end() && !pinned->second.url.empty()) {
    result.url = pinned->second.url;
  } else if (const auto found = manifest.download_templates.find(distribution.name.flavor);
             found != manifest.download_templates.end()) {
    result.url = expand(found->second, distribution.name, platform);
  } else {
    result.url = expand(kLegacyTemplate, distribution.name, platform);
  }
  const bool upstream_lists_file =
      pinned != distribution.downloads.end() && !pinned->second.checksum_url.empty();
  if (upstream_lists_file && !environment.get("GETMESH_MIRROR")) {
    result.checksum_url = pinned->second.checksum_url;
  } else if (upstream_lists_file || result.checksums.empty()) {
    result.checksum_url = result.url + ".sha256";
  }
  return result;
}

}  // namespace getmesh::download
