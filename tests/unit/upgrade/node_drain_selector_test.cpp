// The label selector --ztunnel-drain lists a node's ztunnel pods by, from the DaemonSet's selector.
#include "upgrade/node_drain.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace getmesh::upgrade {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

json daemon_set(const json& selector) {
  return {{"metadata", {{"name", "ztunnel"}, {"namespace", "istio-system"}}},
          {"spec", {{"selector", selector}}}};
}

TEST(AmbientDrainSelector, MatchLabelsBecomeTheListsLabelSelector) {
  const auto selector = node_drain::daemon_set_selector(
      daemon_set({{"matchLabels", {{"app", "ztunnel"}, {"istio.io/rev", "1-31-4"}}}}));
  ASSERT_TRUE(selector.ok()) << selector.error().message;
  EXPECT_EQ(*selector, "app=ztunnel,istio.io/rev=1-31-4");
  EXPECT_TRUE(node_drain::daemon_set_selector(daemon_set({{"matchLabels", {{"app", "ztunnel"}}},
                                                          {"matchExpressions", json::array()}}))
                  .ok())
      << "an empty matchExpressions adds no requirement";
}

TEST(AmbientDrainSelector, MatchExpressionsAreRefusedAsTheListWouldSelectOtherPods) {
  const auto selector = node_drain::daemon_set_selector(daemon_set(
      {{"matchLabels", {{"app", "ztunnel"}}},
       {"matchExpressions", {{{"key", "tier"}, {"operator", "In"}, {"values", {"node"}}}}}}));
  ASSERT_FALSE(selector.ok());
  EXPECT_EQ(selector.error().message,
            "DaemonSet istio-system/ztunnel selects its pods with matchExpressions, so "
            "--ztunnel-drain cannot tell its pods from the others on a node");
  EXPECT_THAT(selector.error().hint, HasSubstr("upgrade without --ztunnel-drain"));
}

TEST(AmbientDrainSelector, AnEmptySelectorIsRefusedAsItWouldSelectTheWholeNamespace) {
  for (const auto& selector : {json::object(), json{{"matchLabels", json::object()}}}) {
    const auto read = node_drain::daemon_set_selector(daemon_set(selector));
    ASSERT_FALSE(read.ok()) << selector.dump();
    EXPECT_EQ(read.error().message,
              "DaemonSet istio-system/ztunnel has no spec.selector.matchLabels, so "
              "--ztunnel-drain cannot tell its pods from the others on a node");
  }
  const json no_spec{{"metadata", {{"name", "ztunnel"}, {"namespace", "istio-system"}}}};
  EXPECT_FALSE(node_drain::daemon_set_selector(no_spec).ok());
}

}  // namespace
}  // namespace getmesh::upgrade
