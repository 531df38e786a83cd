#pragma once

#include <span>
#include <string_view>

namespace getmesh::validate {

enum class FeatureStatus { kAlpha, kBeta, kStable };

// One annotation or label of Istio's registries (istio/api annotations.yaml and labels.yaml),
// generated into istio_registry_data.cpp by tools/gen_istio_registry.py.
struct RegistryEntry {
  std::string_view name;
  std::string_view resources;  // the kinds it may appear on, comma-separated; "Any" for all
  FeatureStatus status = FeatureStatus::kAlpha;
  bool deprecated = false;
  bool hidden = false;

  // Whether it may appear on objects of `kind` ("Pod", "Service", ...).
  [[nodiscard]] bool applies_to(std::string_view kind) const;
};

// Both registries, sorted by name.
std::span<const RegistryEntry> istio_annotations();
std::span<const RegistryEntry> istio_labels();

// The entry named `name`, or nullptr.
const RegistryEntry* find_annotation(std::string_view name);
const RegistryEntry* find_label(std::string_view name);

}  // namespace getmesh::validate
