#pragma once

#include <getmesh/core/result.hpp>
#include <getmesh/core/version.hpp>
#include <getmesh/exec/process.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

// The user's helm: where it is and whether it is a Helm 3 getmesh can drive.
namespace getmesh::helm {

// The oldest Helm getmesh drives: Helm 3 (Helm 2 had Tiller and another release store).
inline constexpr std::int64_t kRequiredMajor = 3;

struct Binary {
  std::string path;
  Version version;
};

// Where helm is: `flag` (--helm), else `setting` (helm_path), else "helm" searched on
// `path_variable`. A missing program is a refusal that says how to point getmesh at one.
Result<std::string> locate(const std::string& flag, const std::string& setting,
                           const std::string& path_variable);

// The version in what `helm version --template {{.Version}}` prints: "v3.14.2",
// "v3.16.0-rc.1+gabc"; nullopt when it holds none.
std::optional<Version> parse_version(std::string_view text);

// Runs `helm version` and refuses anything but Helm 3.x (or a helm that does not answer).
Result<Binary> check(const std::string& path, const exec::EnvironmentOverrides& environment,
                     std::chrono::milliseconds timeout);

}  // namespace getmesh::helm
