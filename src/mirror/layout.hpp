#pragma once

#include <getmesh/core/result.hpp>
#include <getmesh/manifest/manifest.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace getmesh::mirror {

// The last path segment of a download URL: the archive's file in the mirror.
std::string file_of_url(std::string_view url);

// The mirror's manifest.json, nullopt when there is none; invalid JSON, a file larger than
// manifest::kMaxManifestBytes or anything but a regular file (a FIFO) is an error naming it.
Result<std::optional<manifest::Manifest>> read_mirror_manifest(
    const std::filesystem::path& directory);

}  // namespace getmesh::mirror
