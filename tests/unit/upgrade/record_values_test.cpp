// Helm release values kept out of the upgrade record's ConfigMap.
#include "upgrade/record_values.hpp"

#include <getmesh/core/base64.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace getmesh::upgrade {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;
using ::testing::HasSubstr;

ordered_json helm_record() {
  return ordered_json::parse(R"({"phase": "in-progress", "plan": {"helm": {
    "chart_repo": "https://charts.example",
    "base": {"name": "istio-base", "values": {"global": {"hub": "my.io/istio"}}},
    "control_plane": {"name": "istiod", "values": {"pilot": {"env": {"TOKEN": "s3cr3t"}}}},
    "new_values": {"revision": "1-31-4", "pilot": {"env": {"TOKEN": "s3cr3t"}}},
    "gateways": [{"name": "ingress", "values": {"password": "gw-s3cr3t"}}],
    "ztunnel": {"name": "ztunnel", "values": {"token": "zt-s3cr3t"}}},
    "install": {"values": "not below helm: kept"}}})");
}

TEST(RecordValues, EveryValueSetBelowHelmLeavesTheRecordAndComesBack) {
  auto record = helm_record();
  const auto original = json(record);
  const auto taken = record_values::take_values(record);
  EXPECT_THAT(record.dump(), ::testing::Not(HasSubstr("s3cr3t")));
  EXPECT_EQ(record["plan"]["install"]["values"], "not below helm: kept");
  EXPECT_EQ(record["plan"]["helm"]["chart_repo"], "https://charts.example");
  EXPECT_EQ(taken.size(), 5u);
  EXPECT_EQ(taken["/plan/helm/gateways/0/values"], json({{"password", "gw-s3cr3t"}}));
  EXPECT_TRUE(taken.contains("/plan/helm/new_values"));
  EXPECT_TRUE(taken.contains("/plan/helm/ztunnel/values")) << "whatever release holds them";

  auto read_back = json::parse(record.dump());
  ASSERT_TRUE(record_values::put_values(read_back, taken).ok());
  EXPECT_EQ(read_back, original);
}

TEST(RecordValues, ValuesForPlacesTheRecordDoesNotHaveAreRefused) {
  auto record = helm_record();
  record_values::take_values(record);
  auto read_back = json::parse(record.dump());
  for (const auto& values :
       {json({{"/plan/install/files", json::object()}}),       // outside plan.helm
        json({{"/plan/helm/chart_repo", json::object()}}),     // no values key
        json({{"/plan/helm/gone/values", json::object()}}),    // no such release
        json({{"/plan/helm/base/values", "text"}}),            // values are objects
        json({{"/plan/helm/base~2/values", json::object()}}),  // not a JSON pointer
        json::array()}) {
    EXPECT_FALSE(record_values::put_values(read_back, values).ok()) << values.dump();
  }
}

TEST(RecordValues, TheSecretHoldsTheValuesOfOneRecord) {
  const json values{{"/plan/helm/base/values", {{"a", 1}}}};
  const auto secret = record_values::secret("istio-system", "0123abcd", values);
  EXPECT_EQ(secret["kind"], "Secret");
  EXPECT_EQ(secret["metadata"]["name"], "getmesh-upgrade-values-0123abcd");
  EXPECT_EQ(*record_values::values_of_secret(secret, "0123abcd"), values);
  const auto other = record_values::values_of_secret(secret, "ffff0000");
  ASSERT_FALSE(other.ok());
  EXPECT_THAT(other.error().message, HasSubstr("the values of another record"));
  json broken = secret;
  broken["data"]["values.json"] = base64_encode("[]");
  EXPECT_FALSE(record_values::values_of_secret(broken, "0123abcd").ok());
}

}  // namespace
}  // namespace getmesh::upgrade
