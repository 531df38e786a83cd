#include "mirror/charts.hpp"
#include "mirror/layout.hpp"

#include <getmesh/core/fs.hpp>
#include <getmesh/core/regular_file.hpp>
#include <getmesh/download/install.hpp>
#include <getmesh/download/limits.hpp>
#include <getmesh/manifest/serialize.hpp>
#include <getmesh/mirror/mirror.hpp>
#include <getmesh/store/lock.hpp>

#include <algorithm>

namespace getmesh::mirror {

namespace {

namespace fs = std::filesystem;

// The manifest.json of earlier runs, with only the downloads whose archives are still there.
Result<manifest::Manifest> earlier_contents(const fs::path& directory) {
  auto read = read_mirror_manifest(directory);
  if (!read) return read.error();
  if (!*read) return manifest::Manifest{};
  auto earlier = std::move(**read);
  std::error_code error;
  for (auto& distribution : earlier.distributions) {
    std::erase_if(distribution.downloads, [&](const auto& entry) {
      return !fs::is_regular_file(directory / file_of_url(entry.second.url), error);
    });
  }
  std::erase_if(earlier.distributions,
                [](const auto& distribution) { return distribution.downloads.empty(); });
  return earlier;
}

// What the mirror holds: the earlier contents, this run's archives added, URLs relative to the
// mirror or under `base_url`, newest first. No download templates: every archive is listed.
manifest::Manifest mirror_manifest(manifest::Manifest earlier, const manifest::Manifest& selection,
                                   const std::vector<ArchiveOutcome>& archives,
                                   const std::string& base_url) {
  auto& result = earlier;
  result.download_templates.clear();
  result.default_flavor = selection.default_flavor;
  for (const auto& [minor, lifecycle] : selection.lifecycle) result.lifecycle[minor] = lifecycle;
  for (const auto& [minor, date] : selection.legacy_end_of_life) {
    result.legacy_end_of_life[minor] = date;
  }
  for (const auto& archive : archives) {
    if (!archive.stored) continue;
    auto held = std::find_if(result.distributions.begin(), result.distributions.end(),
                             [&](const auto& entry) { return entry.name == archive.name; });
    const auto* source = selection.find(archive.name);
    if (held == result.distributions.end()) {
      result.distributions.push_back(*source);
      held = std::prev(result.distributions.end());
      held->downloads.clear();
    } else {  // this run's metadata is the newer one
      auto downloads = std::move(held->downloads);
      *held = *source;
      held->downloads = std::move(downloads);
    }
    held->downloads[archive.platform.key()] = {archive.file, archive.stored->sha256, "", ""};
  }
  for (auto& distribution : result.distributions) {
    distribution.origin = manifest::Origin::kManifest;
    for (auto& [platform, download] : distribution.downloads) {
      const auto file = file_of_url(download.url);
      download.url = base_url.empty() ? file : base_url + "/" + file;
      if (download.sha256.empty()) download.sha256 = download.upstream_digest;
      download.upstream_digest.clear();
      download.checksum_url.clear();
    }
  }
  std::sort(result.distributions.begin(), result.distributions.end(),
            [](const auto& a, const auto& b) { return a.name > b.name; });
  return result;
}

ArchiveOutcome mirror_archive(const fs::path& directory, const manifest::Manifest& selection,
                              const manifest::Distribution& distribution, const Platform& platform,
                              const Environment& environment, const net::Client& http,
                              const CreateOptions& options) {
  ArchiveOutcome outcome{distribution.name, platform,
                         archive_file_name(distribution.name, platform), std::nullopt,
                         std::nullopt};
  auto plan = download::plan(selection, distribution, platform, environment);
  if (!plan) {
    outcome.error = plan.error();
    return outcome;
  }
  auto stored = download::store_archive(*plan, directory / outcome.file, http, options.download);
  if (!stored) {
    outcome.error = stored.error();
    return outcome;
  }
  const auto checksum = stored->sha256 + "  " + outcome.file + "\n";
  const auto checksum_path = directory / (outcome.file + ".sha256");
  if (const auto present = read_regular_file(checksum_path, download::kMaxChecksumFileBytes);
      !present || *present != checksum) {
    if (auto written = write_file_atomic(checksum_path, checksum); !written) {
      outcome.error = written.error();
      return outcome;
    }
  }
  outcome.stored = std::move(*stored);
  return outcome;
}

}  // namespace

Result<CreateReport> create(const fs::path& directory, const manifest::Manifest& selection,
                            const Environment& environment, const net::Client& http,
                            const CreateOptions& options) {
  if (auto made = ensure_directory(directory / ".partial"); !made) return made.error();
  auto lock = store::FileLock::acquire(directory / ".partial" / "mirror.lock", [&] {
    if (options.download.note) {
      options.download.note("waiting for another getmesh that is filling " + directory.string());
    }
  });
  if (!lock) return lock.error();
  auto earlier = earlier_contents(directory);
  if (!earlier) return earlier.error();
  if (!options.chart_repo.empty()) {  // refused before any download, as manifest.json is
    if (auto index = read_mirror_chart_index(directory); !index) return index.error();
  }

  CreateReport report;
  for (const auto& distribution : selection.distributions) {
    for (const auto& platform : options.platforms) {
      report.archives.push_back(
          mirror_archive(directory, selection, distribution, platform, environment, http, options));
    }
  }
  if (!options.chart_repo.empty()) {
    if (auto charts = mirror_charts(directory, selection, http, options, report); !charts) {
      return charts.error();
    }
  }
  const auto contents =
      mirror_manifest(std::move(*earlier), selection, report.archives, options.base_url);
  auto json = manifest::to_json(contents);
  if (!json) return json.error();
  if (auto written = write_file_atomic(directory / "manifest.json", *json); !written) {
    return written.error();
  }
  report.distributions = contents.distributions.size();
  return report;
}

}  // namespace getmesh::mirror
