#pragma once

#include <getmesh/core/result.hpp>
#include <getmesh/helm/chart_index.hpp>
#include <getmesh/mirror/mirror.hpp>

#include <filesystem>
#include <optional>
#include <vector>

// Helm charts in a mirror: <chart>-<version>.tgz beside the istioctl archives, and index.yaml, a
// Helm repository index listing them with URLs relative to the mirror, so that the directory
// served by any web server is a chart repository.
namespace getmesh::mirror {

// The mirror's index.yaml.
inline constexpr const char* kChartIndexFile = "index.yaml";

// Copies mirrored_charts() at the version of each community distribution of `selection` from
// options.chart_repo into `directory`, then writes index.yaml: this run's charts and those of
// earlier runs still present. Fills report.charts, chart_index_error and charts_listed; an earlier
// index.yaml that cannot be read is an error (nothing is written then).
Status mirror_charts(const std::filesystem::path& directory, const manifest::Manifest& selection,
                     const net::Client& http, const CreateOptions& options, CreateReport& report);

// The entries of the mirror's index.yaml; nullopt when it has none. A file that is no Helm index,
// no regular file or larger than download::kMaxChartIndexBytes is an error naming it.
Result<std::optional<std::vector<helm::ChartEntry>>> read_mirror_chart_index(
    const std::filesystem::path& directory);

}  // namespace getmesh::mirror
