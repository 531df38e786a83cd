#include "cli/commands/activate.hpp"

#include "cli/build_facts.hpp"

namespace getmesh::cli {

Status activate(Context& context, const DistributionName& name,
                const manifest::Distribution* distribution, const manifest::Manifest* manifest,
                bool quiet, bool require_fips) {
  if (auto fips = check_fips_before_activation(context, name, require_fips); !fips) return fips;
  store::ActiveRecord record;
  record.name = name;
  if (distribution != nullptr) {
    record.k8s_versions = distribution->k8s_versions;
    record.release_notes = distribution->release_notes;
    record.is_security_patch = distribution->is_security_patch;
  }
  if (manifest != nullptr) {
    if (auto end_of_life = manifest->end_of_life(name))
      record.end_of_life = end_of_life->to_string();
  }
  auto updated = context.update_config([&](store::Config& config) { config.active = record; });
  if (!updated) return updated;
  if (!quiet) context.output().out() << "istioctl switched to " << name.to_string() << " now\n";
  auto active = context.active();
  if (active && *active && (*active)->pinned && (*active)->name != name) {
    context.output().warn((*active)->origin + " pins " + (*active)->name.to_string() +
                          ", which getmesh istioctl keeps using in this directory");
  }
  return {};
}

}  // namespace getmesh::cli
