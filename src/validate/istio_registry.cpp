#include "validate/istio_registry.hpp"

#include <algorithm>

namespace getmesh::validate {

namespace {

const RegistryEntry* find_in(std::span<const RegistryEntry> entries, std::string_view name) {
  const auto found = std::lower_bound(
      entries.begin(), entries.end(), name,
      [](const RegistryEntry& entry, std::string_view wanted) { return entry.name < wanted; });
  return found != entries.end() && found->name == name ? &*found : nullptr;
}

}  // namespace

bool RegistryEntry::applies_to(std::string_view kind) const {
  std::string_view rest = resources;
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    const auto resource = rest.substr(0, comma);
    if (resource == "Any" || resource == kind) return true;
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
  }
  return false;
}

const RegistryEntry* find_annotation(std::string_view name) {
  return find_in(istio_annotations(), name);
}

const RegistryEntry* find_label(std::string_view name) { return find_in(istio_labels(), name); }

}  // namespace getmesh::validate
