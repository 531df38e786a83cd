#pragma once

#include "cli/context.hpp"

#include <getmesh/binary/go_build_info.hpp>
#include <getmesh/core/distribution.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <string>

namespace getmesh::cli {

// The Go build facts of an installed istioctl as `show -o json`, `verify` and `version` report
// them: go_version, path, module {path, version}, settings {KEY: VALUE}, fips {module, evidence};
// {"error": "..."} when the binary cannot be read as a Go executable.
nlohmann::ordered_json build_to_json(const Result<binary::GoBuildInfo>& build);

// "go1.22.5, CGO_ENABLED=0, FIPS module boringcrypto (GOEXPERIMENT=boringcrypto)"; the error
// when the binary cannot be read.
std::string describe_build(const Result<binary::GoBuildInfo>& build);

// What the FIPS promise says about an istioctl: a tetratefips distribution must carry a FIPS
// module, and with `required` (require_fips, --require-fips) every istioctl must. Empty when
// nothing is wrong.
std::optional<std::string> fips_problem(const DistributionName& name,
                                        const Result<binary::GoBuildInfo>& build, bool required);

// Before `name` becomes active: warns about a FIPS problem, or refuses it (nothing activated)
// when FIPS is required by `require_flag` or require_fips in config.json.
Status check_fips_before_activation(Context& context, const DistributionName& name,
                                    bool require_flag);

}  // namespace getmesh::cli
