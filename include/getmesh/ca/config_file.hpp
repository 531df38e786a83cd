#pragma once

#include <getmesh/ca/settings.hpp>
#include <getmesh/core/result.hpp>

#include <filesystem>
#include <string_view>

namespace getmesh::ca {

// Parses the original getmesh's gen-ca config file (YAML: providerName, disableSecretCreation,
// providerConfig.{aws,gcp}, certificateParameters.{secretOptions,caOptions}) plus our additions
// (providerConfig.{local,certManager}, endpoints, caOptions.keyType and pathLen). Field names match
// case-insensitively; an unknown field, a wrong type or an unknown provider is an error naming the
// field and its line. An empty file sets nothing. `origin` names the file in messages.
Result<PartialSettings> parse_config_file(std::string_view text, std::string_view origin);

// Reads and parses the config file at `path`.
Result<PartialSettings> load_config_file(const std::filesystem::path& path);

}  // namespace getmesh::ca
