// The Gateway API CRDs installed against what Istio needs: served versions (IST0156, IST0172) and
// bundle versions (IST0176).
#include "validate/checks/checks.hpp"

#include <getmesh/core/strings.hpp>

#include <algorithm>
#include <array>
#include <charconv>

namespace getmesh::validate {

namespace {

constexpr std::string_view kGatewayApiGroup = "gateway.networking.k8s.io";
constexpr std::string_view kBundleVersion = "gateway.networking.k8s.io/bundle-version";

// The oldest Gateway API release whose CRD istiod still watches, per CRD (Istio master,
// August 2026): older CRDs are ignored and their objects never take effect.
struct MinimumBundle {
  std::string_view crd;
  std::array<int, 3> version;
};
constexpr std::array kMinimumBundles = {
    MinimumBundle{"grpcroutes.gateway.networking.k8s.io", {1, 1, 0}},
    MinimumBundle{"backendtlspolicies.gateway.networking.k8s.io", {1, 4, 0}},
    MinimumBundle{"tlsroutes.gateway.networking.k8s.io", {1, 5, 0}},
};

// "v1.4.1", "1.4.1-rc.1" → {1, 4, 1}; nullopt for anything else.
std::optional<std::array<int, 3>> bundle_version(std::string_view text) {
  if (text.starts_with("v")) text.remove_prefix(1);
  text = text.substr(0, text.find_first_of("-+"));
  std::array<int, 3> parts{};
  const auto fields = split(text, '.');
  if (fields.empty() || fields.size() > 3) return std::nullopt;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const auto& field = fields[i];
    const auto [end, error] = std::from_chars(field.data(), field.data() + field.size(), parts[i]);
    if (error != std::errc() || end != field.data() + field.size() || parts[i] < 0)
      return std::nullopt;
  }
  return parts;
}

std::string dotted(const std::array<int, 3>& version) {
  return std::to_string(version[0]) + "." + std::to_string(version[1]) + "." +
         std::to_string(version[2]);
}

// IST0176: a Gateway API CRD older than the release istiod requires.
void check_bundle_version(const CheckContext& context, const Resource& crd) {
  const auto minimum = std::find_if(kMinimumBundles.begin(), kMinimumBundles.end(),
                                    [&](const MinimumBundle& m) { return m.crd == crd.name; });
  const auto* annotation = crd.annotation(kBundleVersion);
  if (minimum == kMinimumBundles.end() || annotation == nullptr) return;
  const auto installed = bundle_version(*annotation);
  if (!installed || *installed >= minimum->version) return;
  auto shown = *annotation;
  if (shown.starts_with("v")) shown.erase(0, 1);
  context.sink.add(crd, "IST0176",
                   "Gateway API CRD " + quote(crd.name) + " is at version " + quote(shown) +
                       " but Istio requires at least " + quote(dotted(minimum->version)) +
                       "; resources of this kind will not be processed. Upgrade the Gateway API "
                       "CRDs to satisfy the minimum version.");
}

// IST0156 and IST0172: Istio reads the core Gateway API kinds at v1beta1 (soon v1 only).
void check_served_versions(const CheckContext& context, const Resource& crd) {
  const auto& spec = crd.spec();
  if (spec["group"].str() != kGatewayApiGroup) return;
  std::vector<std::string> versions;
  spec["versions"].for_each_item([&](const Node& version) {
    if (version["served"].as_bool().value_or(false)) versions.push_back(version["name"].str());
  });
  std::sort(versions.begin(), versions.end());
  const auto serves = [&](std::string_view wanted) {
    return std::find(versions.begin(), versions.end(), wanted) != versions.end();
  };
  const auto has = versions.empty() ? std::string("none") : join(versions, ",");
  const auto& kind = spec["names"]["kind"].str();
  const auto message = [&](std::string_view minimum) {
    return "The Gateway API CRD version " + has +
           " is lower than the minimum version: " + std::string(minimum);
  };
  if ((kind == "Gateway" || kind == "GatewayClass" || kind == "HTTPRoute" ||
       kind == "ReferenceGrant") &&
      !serves("v1beta1"))
    context.sink.add(crd, "IST0156", message("v1beta1"), spec["versions"].line());
  if ((kind == "Gateway" || kind == "GatewayClass" || kind == "HTTPRoute" || kind == "GRPCRoute") &&
      !serves("v1"))
    context.sink.add(crd, "IST0172", message("v1"), spec["versions"].line());
}

}  // namespace

void check_crd_versions(const CheckContext& context) {
  for (const auto* crd : context.index.of_kind(Kind::kCustomResourceDefinition)) {
    check_bundle_version(context, *crd);
    check_served_versions(context, *crd);
  }
}

}  // namespace getmesh::validate
