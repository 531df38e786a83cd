#include <getmesh/manifest/checks.hpp>

#include <gtest/gtest.h>

namespace getmesh::manifest {
namespace {

DistributionName name_of(const std::string& text) { return *DistributionName::parse(text); }

Manifest sample() {
  Manifest manifest;
  for (const auto& [name, security] :
       std::vector<std::pair<std::string, bool>>{{"1.7.1-tetrate-v12", false},
                                                 {"1.7.6-tetrate-v2", true},
                                                 {"1.8.2-tetrate-v1", false},
                                                 {"1.9.2-tetrate-v0", true},
                                                 {"1.9.10-tetrate-v0", false},
                                                 {"1.10.1-tetrate-v0", true},
                                                 {"1.9.0-istio-v0", false}}) {
    manifest.distributions.push_back({name_of(name), {}, {}, security, {}});
  }
  manifest.legacy_end_of_life[{1, 7}] = *CivilDate::parse("2020-10-10");
  return manifest;
}

TEST(EndOfLifeWarnings, StartThirtyDaysBeforeAndContinueAfter) {
  const auto manifest = sample();
  const auto active = name_of("1.7.1-tetrate-v12");
  EXPECT_TRUE(end_of_life_warnings(manifest, active, *CivilDate::parse("2020-09-05")).empty());
  const auto soon = end_of_life_warnings(manifest, active, *CivilDate::parse("2020-09-20"));
  ASSERT_EQ(soon.size(), 1u);
  EXPECT_NE(soon[0].find("reaches end of life on 2020-10-10 (in 20 days)"), std::string::npos)
      << soon[0];
  const auto after = end_of_life_warnings(manifest, active, *CivilDate::parse("2020-11-05"));
  ASSERT_EQ(after.size(), 1u);
  EXPECT_NE(after[0].find("reached end of life on 2020-10-10 (26 days ago)"), std::string::npos);
  EXPECT_NE(after[0].find("1.8.2-tetrate-v1, 1.9.10-tetrate-v0, 1.10.1-tetrate-v0"),
            std::string::npos)
      << after[0];
  EXPECT_EQ(after[0].find("istio-v0"), std::string::npos) << "other flavors are not suggested";
}

// The original named every newer distribution; getmesh names the newest patch of every newer
// minor of the flavor that is still supported, and leaves out those past their own end of life.
TEST(EndOfLifeWarnings, NameEverySupportedNewerMinor) {
  auto manifest = sample();
  manifest.legacy_end_of_life[{1, 8}] = *CivilDate::parse("2020-10-20");
  const auto warnings =
      end_of_life_warnings(manifest, name_of("1.7.1-tetrate-v12"), *CivilDate::parse("2020-11-05"));
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("upgrade to a newer minor: 1.9.10-tetrate-v0, 1.10.1-tetrate-v0 "),
            std::string::npos)
      << warnings[0];
  EXPECT_EQ(warnings[0].find("1.8.2"), std::string::npos) << "1.8 is past its end of life too";
}

TEST(EndOfLifeWarnings, IgnoreOtherMajorsAndUnknownDates) {
  const auto manifest = sample();
  EXPECT_TRUE(
      end_of_life_warnings(manifest, name_of("2.7.1-tetrate-v0"), *CivilDate::parse("2030-01-01"))
          .empty());
  EXPECT_TRUE(
      end_of_life_warnings(manifest, name_of("1.8.1-tetrate-v0"), *CivilDate::parse("2030-01-01"))
          .empty());
}

TEST(SecurityWarnings, MatchTheOriginalCases) {
  const auto warnings =
      security_warnings(sample(), {name_of("1.2.1-tetrate-v0"), name_of("1.7.1-tetrate-v10"),
                                   name_of("1.7.3-tetrate-v2"), name_of("1.8.1-tetrate-v1"),
                                   name_of("1.9.1-tetrate-v0"), name_of("1.10.1-tetrate-v0")});
  std::string all;
  for (const auto& warning : warnings) all += warning + "\n";
  EXPECT_EQ(warnings.size(), 3u) << all;
  EXPECT_NE(all.find("1.2-tetrate distributions are no longer in the manifest"), std::string::npos)
      << all;
  EXPECT_NE(all.find("1.7.6-tetrate-v2 includes security fixes"), std::string::npos) << all;
  EXPECT_NE(all.find("1.9.10-tetrate-v0 includes security fixes"), std::string::npos) << all;
  EXPECT_EQ(all.find("1.10"), std::string::npos) << all;
  EXPECT_EQ(all.find("1.8.2"), std::string::npos) << all;
}

}  // namespace
}  // namespace getmesh::manifest
