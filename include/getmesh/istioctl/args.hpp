#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace getmesh::istioctl {

// Index of istioctl's subcommand in `args` (the first word that is not a global flag or its value).
std::optional<std::size_t> subcommand_index(const std::vector<std::string>& args);

// True when `args` run `istioctl install`.
bool is_install(const std::vector<std::string>& args);

// Reads a file given with -f/--filename; nullopt when it cannot be read.
using FileReader = std::function<std::optional<std::string>(const std::string& path)>;

// True when the install arguments choose an image hub: `--set hub=…` / `values.global.hub` in any
// of the --set/-s spellings, or `spec.hub` / `spec.values.global.hub` in an IstioOperator file.
bool sets_hub(const std::vector<std::string>& args, const FileReader& read_file);

// The value of a flag in `--flag value` or `--flag=value` form (last occurrence wins).
std::optional<std::string> flag_value(const std::vector<std::string>& args,
                                      const std::vector<std::string>& spellings);

// Every value of a flag, in order (`-f a --filename=b` gives a, b).
std::vector<std::string> flag_values(const std::vector<std::string>& args,
                                     const std::vector<std::string>& spellings);

// Whether any of the flag spellings is present (as `--flag`, `--flag=true` or `--flag value`).
bool has_flag(const std::vector<std::string>& args, const std::vector<std::string>& spellings);

}  // namespace getmesh::istioctl
