// Which ztunnel pods run their DaemonSet's current template, for --ztunnel-drain.
#include "upgrade/daemon_pods.hpp"

#include <gtest/gtest.h>

namespace getmesh::upgrade {
namespace {

using nlohmann::json;

constexpr const char* kNewImage = "docker.io/istio/ztunnel:1.31.4";

// A ztunnel DaemonSet whose update strategy was put back after its template changed: generation
// 3, template generation 2.
json daemon_set() {
  json object{{"metadata",
               {{"name", "ztunnel"},
                {"generation", 3},
                {"annotations", {{"deprecated.daemonset.template.generation", "2"}}}}}};
  object["spec"]["template"] = {
      {"metadata", {{"annotations", {{"istio.io/rev", "1-31-4"}}}}},
      {"spec", {{"containers", json::array({{{"name", "istio-proxy"}, {"image", kNewImage}}})}}}};
  return object;
}

json pod(const std::string& template_generation, const std::string& image,
         const std::string& revision) {
  return {{"metadata",
           {{"labels", {{"pod-template-generation", template_generation}}},
            {"annotations", {{"istio.io/rev", revision}}}}},
          {"spec", {{"containers", json::array({{{"name", "istio-proxy"}, {"image", image}}})}}}};
}

TEST(AmbientDaemonPods, APodLabelledWithTheTemplateGenerationRunsTheTemplate) {
  // Its image rewritten by an admission webhook (a digest), so only the label can tell.
  const auto pinned = pod("2", "docker.io/istio/ztunnel@sha256:0123abcd", "1-31-4");
  EXPECT_TRUE(daemon_pods::runs_current_template(pinned, daemon_set()))
      << "the label names the template generation (2), not metadata.generation (3)";
  EXPECT_FALSE(daemon_pods::runs_current_template(
      pod("3", "docker.io/istio/ztunnel@sha256:0123abcd", "1-31-4"), daemon_set()))
      << "metadata.generation is no template generation";
}

TEST(AmbientDaemonPods, WithoutTheLabelTheTemplatesImagesAndRevisionDecide) {
  EXPECT_TRUE(daemon_pods::runs_current_template(pod("1", kNewImage, "1-31-4"), daemon_set()))
      << "a pod of an identical earlier template";
  EXPECT_FALSE(daemon_pods::runs_current_template(
      pod("1", "docker.io/istio/ztunnel:1.30.8", "1-30-8"), daemon_set()));
  EXPECT_FALSE(daemon_pods::runs_current_template(pod("1", kNewImage, "1-30-8"), daemon_set()));
  auto unannotated = daemon_set();
  unannotated["metadata"].erase("annotations");
  EXPECT_FALSE(daemon_pods::runs_current_template(
      pod("", "docker.io/istio/ztunnel@sha256:0123abcd", "1-31-4"), unannotated))
      << "no template generation: an empty label matches nothing";
}

}  // namespace
}  // namespace getmesh::upgrade
