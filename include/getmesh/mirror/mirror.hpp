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
  std::string
      base_url;  // manifest.json and index.yaml URLs under it; empty: relative to the mirror
  download::Options download;
  // The Helm chart repository to copy Istio's charts from (--charts); empty: no charts.
  std::string chart_repo;
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

// What happened to one Helm chart archive of a `create --charts` run: stored (downloaded, or
// already there with the index's digest), or the error that kept it out.
struct ChartOutcome {
  std::string chart;    // "istiod"
  std::string version;  // "1.31.4"
  std::string file;     // "istiod-1.31.4.tgz"
  std::string sha256;   // the repository index's digest, which the archive matches
  bool downloaded = false;
  std::optional<Error> error;
  [[nodiscard]] bool stored() const { return !error; }
};

struct CreateReport {
  std::vector<ArchiveOutcome> archives;
  std::size_t distributions = 0;  // in the manifest.json written
  // With charts: each chart of each community version, why none could be (the repository's
  // index unreadable), and how many chart versions the index.yaml written lists.
  std::vector<ChartOutcome> charts;
  std::optional<Error> chart_index_error;
  std::size_t charts_listed = 0;
};

// The charts `create --charts` copies for each mirrored version: those an upgrade of a
// Helm-installed mesh uses (sidecar and ambient).
std::vector<std::string> mirrored_charts();

// Puts every distribution of `selection` (a manifest narrowed to what the mirror should hold) for
// every platform of `options` into `directory`: each archive through download::store_archive
// (verified, resumed, never under its final name before its checksums matched), its .sha256 beside
// it, then `directory`/manifest.json: what the mirror holds (this run's archives and those of
// earlier runs still present), with each download's sha256 and URL. With `options.chart_repo`,
// also mirrored_charts() at the version of each community (istio flavor) distribution, each
// written only once its SHA-256 is the repository index's digest, and `directory`/index.yaml: a
// Helm repository index of the charts the mirror holds, with URLs relative to it (or under
// base_url). An archive or chart that fails is reported and left out; the others are still
// mirrored. Re-runs download nothing that is present and verified. Two runs on one directory wait
// for each other.
Result<CreateReport> create(const std::filesystem::path& directory,
                            const manifest::Manifest& selection, const Environment& environment,
                            const net::Client& http, const CreateOptions& options);

// One archive `verify` looked at; `problems` is empty when it matched.
struct ArchiveCheck {
  std::string file;
  std::vector<std::string> problems;
};

// Re-hashes every archive manifest.json lists against its sha256 there and its .sha256 file, and
// every chart archive index.yaml lists against its digest there; reports archives (.tar.gz) and
// charts (.tgz) in the directory that neither lists. Errors only when the mirror cannot be read at
// all (no or an invalid manifest.json, an invalid index.yaml).
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
