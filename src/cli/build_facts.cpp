#include "cli/build_facts.hpp"

namespace getmesh::cli {

namespace {

std::string fips_text(const binary::Fips& fips) {
  if (!fips.present()) return "no FIPS module";
  return "FIPS module " + binary::to_string(fips.module) + " (" + fips.evidence + ")";
}

}  // namespace

nlohmann::ordered_json build_to_json(const Result<binary::GoBuildInfo>& build) {
  if (!build) return {{"error", build.error().message}};
  nlohmann::ordered_json settings = nlohmann::ordered_json::object();
  for (const auto& setting : build->settings) settings[setting.key] = setting.value;
  const auto fips = binary::fips_module(*build);
  return {{"go_version", build->go_version},
          {"path", build->path},
          {"module", {{"path", build->module_path}, {"version", build->module_version}}},
          {"settings", settings},
          {"fips", {{"module", binary::to_string(fips.module)}, {"evidence", fips.evidence}}}};
}

std::string describe_build(const Result<binary::GoBuildInfo>& build) {
  if (!build) return build.error().message;
  std::string text = build->go_version;
  if (const auto cgo = build->setting("CGO_ENABLED")) text += ", CGO_ENABLED=" + *cgo;
  return text + ", " + fips_text(binary::fips_module(*build));
}

std::optional<std::string> fips_problem(const DistributionName& name,
                                        const Result<binary::GoBuildInfo>& build, bool required) {
  const bool promised = name.flavor == kFlavorTetrateFips;
  if (!promised && !required) return std::nullopt;
  if (!build) {
    return "cannot tell whether " + name.to_string() +
           " carries a FIPS module: " + build.error().message;
  }
  if (binary::fips_module(*build).present()) return std::nullopt;
  if (promised) {
    return name.to_string() +
           " is a tetratefips distribution, but its istioctl carries no FIPS module (" +
           build->go_version + ", neither GOEXPERIMENT=boringcrypto nor GOFIPS140)";
  }
  return name.to_string() + " carries no FIPS module (" + build->go_version + ")";
}

Status check_fips_before_activation(Context& context, const DistributionName& name,
                                    bool require_flag) {
  auto config = context.config();
  if (!config) return config.error();
  const bool required = require_flag || config->require_fips;
  if (name.flavor != kFlavorTetrateFips && !required) return {};
  auto home = context.home();
  if (!home) return home.error();
  const auto problem =
      fips_problem(name, binary::read_go_build_info((*home)->istioctl(name)), required);
  if (!problem) return {};
  if (!required) {
    context.output().warn(*problem);
    return {};
  }
  return runtime_error("refusing to activate " + name.to_string() + ": " + *problem +
                           "; nothing was activated (it stays fetched; getmesh prune --name " +
                           name.to_string() + " removes it)",
                       "choose a tetratefips distribution built with a FIPS module (getmesh list "
                       "--flavor tetratefips), or drop --require-fips (require_fips in "
                       "config.json)");
}

}  // namespace getmesh::cli
