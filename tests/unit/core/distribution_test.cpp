#include <getmesh/core/distribution.hpp>

#include <gtest/gtest.h>

namespace getmesh {
namespace {

TEST(DistributionName, FormatsLikeTheOriginal) {
  EXPECT_EQ((DistributionName{{1, 7, 5}, "tetrate", 0}.to_string()), "1.7.5-tetrate-v0");
  EXPECT_EQ((DistributionName{{1, 7, 7}, "tetratefips", 15}.to_string()), "1.7.7-tetratefips-v15");
  EXPECT_EQ((DistributionName{{1, 8, 3}, "istio", 0}.to_string()), "1.8.3-istio-v0");
}

TEST(DistributionName, AcceptsTheOriginalsValidNames) {
  for (const char* text : {"1.7.3-tetrate-v0", "1.1000.3-tetratefips-v1",
                           "2001.7.300-tetratefips-v10", "1.7.3-tetrate-0"}) {
    EXPECT_TRUE(DistributionName::parse(text).ok()) << text;
  }
  const auto upstream = DistributionName::parse("1.29.8");
  ASSERT_TRUE(upstream.ok());
  EXPECT_TRUE(upstream->is_upstream());
}

TEST(DistributionName, RejectsTheOriginalsInvalidNames) {
  for (const char* text : {"1.6", "1.7.113r", "1.6.7-", "1.7.113r-tetrate-v1", "1.7.113-tetrate",
                           "1.6.7-tetrate-v", "1.7.113-tetrate-", "", "-tetrate-v1", "1.7.3--v1",
                           "1.7.3-tetrate-v-1", "1.7.3-tetrate-v99999999999999999999"}) {
    const auto parsed = DistributionName::parse(text);
    EXPECT_FALSE(parsed.ok()) << text;
    if (!parsed.ok()) {
      EXPECT_NE(parsed.error().hint, "");
    }
  }
}

// Names become paths in the store (istio/<name>): a flavor must not be able to leave it.
TEST(DistributionName, RejectsFlavorsThatCouldBecomePathsElsewhere) {
  for (const char* text : {"1.29.8-../../../etc-v0", "1.29.8-a/b-v0", "1.29.8-..-v0",
                           "1.29.8-Istio-v0", "1.29.8-is tio-v0", "1.29.8-istio\n-v0"}) {
    const auto parsed = DistributionName::parse(text);
    EXPECT_FALSE(parsed.ok()) << text;
  }
  EXPECT_TRUE(is_valid_flavor("tetratefips"));
  EXPECT_FALSE(is_valid_flavor(""));
  EXPECT_FALSE(is_valid_flavor("a.b"));
}

TEST(DistributionName, GroupsByMinorAndFlavor) {
  EXPECT_EQ((DistributionName{{1, 3, 1}, "tetrate", 0}.group()), "1.3-tetrate");
  EXPECT_EQ((DistributionName{{1, 7, 6}, "tetratefips", 0}.group()), "1.7-tetratefips");
  EXPECT_TRUE((DistributionName{{1, 7, 6}, "istio", 0}.same_group({{1, 7, 1}, "istio", 3})));
  EXPECT_FALSE((DistributionName{{1, 7, 6}, "istio", 0}.same_group({{2, 7, 6}, "istio", 0})));
}

TEST(DistributionName, OrdersByPatchThenFlavorVersion) {
  const DistributionName base{{1, 7, 30}, "tetrate", 40};
  EXPECT_GT(base, (DistributionName{{1, 7, 30}, "tetrate", 39}));
  EXPECT_GT(base, (DistributionName{{1, 7, 20}, "tetrate", 40}));
  EXPECT_LT(base, (DistributionName{{1, 7, 30}, "tetrate", 41}));
  EXPECT_LT(base, (DistributionName{{1, 7, 50}, "tetrate", 40}));
  EXPECT_LT((DistributionName{{1, 9, 0}, "istio", 0}), (DistributionName{{1, 10, 0}, "istio", 0}));
}

}  // namespace
}  // namespace getmesh
