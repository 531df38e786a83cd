#pragma once

#include <getmesh/core/distribution.hpp>
#include <getmesh/core/environment.hpp>
#include <getmesh/core/platform.hpp>
#include <getmesh/core/result.hpp>
#include <getmesh/download/archive.hpp>
#include <getmesh/manifest/manifest.hpp>
#include <getmesh/net/http.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// Mirrors for air-gapped sites (docs/mirrors.md): a directory in the flat layout GETMESH_MIRROR
// reads, filled through the verified download path, described by its own manifest.json.
namespace getmesh::mirror {

// The archive's file in a mirror: istio-<name>-<Istio's platform suffix>.tar.gz, its checksum in
// the same name plus ".sha256".
std::string archive_file_name(const DistributionName& name, const Platform& platform);

// "linux/amd64", "darwin/arm64" (the os/arch of docker and kubectl) or Istio's "linux-amd64",
// "osx-arm64", "osx"; darwin and osx are the same. Anything else is a usage error.
Result<Platform> parse_platform(std::string_view text);

struct CreateOptions {
  std::vector<Platform> platforms;
  std::string base_url;  // manifest.json URLs under it; empty: relative to the mirror
  download::Options download;
};

// What happened to one archive of a `create` run: stored (downloaded or already there and
// verified), or the error that kept it out.
struct ArchiveOutcome {
  DistributionName name;
  Platform platform;
  std::string file;
  std::optional<download::StoredArchive> stored;
  std::optional<Error> error;
};

struct CreateReport {
  std::vector<ArchiveOutcome> archives;
  std::size_t distributions = 0;  // in the manifest.json written
};

// Puts every distribution of `selection` (a manifest narrowed to what the mirror should hold) for
// every platform of `options` into `directory`: each archive through download::store_archive
// (verified, resumed, never under its final name before its checksums matched), its .sha256 beside
// it, then `directory`/manifest.json: what the mirror holds (this run's archives and those of
// earlier runs still present), with each download's sha256 and URL. An archive that fails is
// reported and left out; the others are still mirrored. Re-runs download nothing that is present
// and verified. Two runs on one directory wait for each other.
Result<CreateReport> create(const std::filesystem::path& directory,
                            const manifest::Manifest& selection, const Environment& environment,
                            const net::Client& http, const CreateOptions& options);

// One archive `verify` looked at; `problems` is empty when it matched.
struct ArchiveCheck {
  std::string file;
  std::vector<std::string> problems;
};

// Re-hashes every archive manifest.json lists against its sha256 there and its .sha256 file, and
// reports archives in the directory that manifest.json does not list. Errors only when the mirror
// cannot be read at all (no or an invalid manifest.json).
Result<std::vector<ArchiveCheck>> verify(const std::filesystem::path& directory);

// A container image `istioctl install` pulls, and where it goes when copied to another registry.
struct Image {
  std::string component;  // pilot, proxyv2, ztunnel, install-cni
  std::string source;     // <hub>/<component>:<tag>
  std::string target;     // <target hub>/<component>:<tag>, or empty
};

struct ImageOptions {
  std::string hub;         // empty: the flavor's own registry
  std::string target_hub;  // empty: no targets
  bool ambient = false;    // also ztunnel and install-cni
};

// The registry a flavor's images come from: docker.io/istio for istio, Tetrate's for tetrate
// and tetratefips.
std::string default_hub(std::string_view flavor);
// The images of `name`: tag X.Y.Z for istio, X.Y.Z-<flavor>-v<N> for Tetrate's builds.
std::vector<Image> images(const DistributionName& name, const ImageOptions& options);

}  // namespace getmesh::mirror
