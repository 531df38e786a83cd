#include <getmesh/manifest/resolve.hpp>

#include <gtest/gtest.h>

namespace getmesh::manifest {
namespace {

DistributionName resolve_name_of(const std::string& text) { return *DistributionName::parse(text); }

Manifest manifest_of(const std::vector<std::string>& names,
                     const std::string& default_flavor = "tetrate") {
  Manifest manifest;
  manifest.default_flavor = default_flavor;
  for (const auto& name : names)
    manifest.distributions.push_back({resolve_name_of(name), {}, {}, false, {}});
  return manifest;
}

struct FetchCase {
  std::string title;
  std::vector<std::string> manifest;
  Query query;
  std::string expected;  // empty: an error
};

class ResolveFetch : public ::testing::TestWithParam<FetchCase> {};

TEST_P(ResolveFetch, FollowsTheOriginalRules) {
  const auto& c = GetParam();
  const auto resolved = resolve_fetch(manifest_of(c.manifest), c.query);
  if (c.expected.empty()) {
    EXPECT_FALSE(resolved.ok()) << c.title;
  } else {
    ASSERT_TRUE(resolved.ok()) << c.title << ": " << resolved.error().message;
    EXPECT_EQ(resolved->name.to_string(), c.expected) << c.title;
  }
}

// The cases of the original's cmd/fetch_test.go, plus the bugs it had.
INSTANTIATE_TEST_SUITE_P(
    Original, ResolveFetch,
    ::testing::Values(
        FetchCase{
            "no flags: first of the default flavor", {"1.7.3-tetrate-v0"}, {}, "1.7.3-tetrate-v0"},
        FetchCase{"all given", {}, {"", "1.7.3", "tetrate", 100}, "1.7.3-tetrate-v100"},
        FetchCase{"name", {}, {"1.7.3-tetrate-v100", "", "", -1}, "1.7.3-tetrate-v100"},
        FetchCase{"version and flavor version", {}, {"", "1.7.3", "", 100}, "1.7.3-tetrate-v100"},
        FetchCase{"newest flavor version",
                  {"1.7.3-tetratefips-v50", "1.7.3-tetrate-v10000000"},
                  {"", "1.7.3", "tetratefips", -1},
                  "1.7.3-tetratefips-v50"},
        FetchCase{"flavor without version",
                  {"1.7.3-tetratefips-v0", "1.8.3-istio-v0"},
                  {"", "", "istio", 0},
                  "1.8.3-istio-v0"},
        FetchCase{"flavor without version or flavor version",
                  {"1.7.3-tetratefips-v0", "1.8.3-istio-v0"},
                  {"", "", "istio", -1},
                  "1.8.3-istio-v0"},
        FetchCase{"version missing in flavor",
                  {"1.7.3-tetrate-v0"},
                  {"", "1.7.3", "tetratefips", -1},
                  ""},
        FetchCase{"default flavor",
                  {"1.7.3-tetratefips-v100", "1.7.3-tetrate-v0"},
                  {"", "1.7.3", "", -1},
                  "1.7.3-tetrate-v0"},
        FetchCase{"minor only",
                  {"1.7.3-tetrate-v100", "1.7.1-tetratefips-v100", "1.8.3-tetrate-v0"},
                  {"", "1.7", "tetratefips", -1},
                  "1.7.1-tetratefips-v100"},
        FetchCase{"minor only keeps a given flavor version",
                  {"1.7.100-tetrate-v100", "1.7.20-tetrate-v20", "1.7.1-tetrate-v1",
                   "1.7.1-tetratefips-v100", "1.8.3-tetrate-v0"},
                  {"", "1.7", "", 0},
                  "1.7.100-tetrate-v0"},
        FetchCase{"minor only compares the major too (original bug)",
                  {"2.7.9-istio-v0", "1.7.3-istio-v0"},
                  {"", "1.7", "istio", -1},
                  "1.7.3-istio-v0"},
        FetchCase{"flavor version honoured without version (original bug)",
                  {"1.8.3-tetrate-v2", "1.8.3-tetrate-v1", "1.7.3-tetrate-v1"},
                  {"", "", "tetrate", 1},
                  "1.8.3-tetrate-v1"},
        FetchCase{"unknown flavor is an error, not a silent fallback",
                  {"1.7.3-tetrate-v0"},
                  {"", "1.7.3", "tetrat", -1},
                  ""},
        FetchCase{
            "bad version", {"1.7.3-tetrate-v0"}, {"", "1.70000000000000000000.4", "", -1}, ""},
        FetchCase{"minor not in manifest", {"1.7.3-tetrate-v0"}, {"", "1.9", "", -1}, ""},
        FetchCase{"name without flavor", {}, {"1.7.3", "", "", -1}, ""},
        FetchCase{"bad name", {}, {"1.7.3-tetrate", "", "", -1}, ""}),
    [](const auto& param) { return "case" + std::to_string(param.index); });

TEST(ResolveFetch, ExplainsFallbacks) {
  const auto resolved = resolve_fetch(manifest_of({"1.31.1-istio-v0", "1.31.0-istio-v0"}, "istio"),
                                      {"", "1.31", "", -1});
  ASSERT_TRUE(resolved.ok());
  ASSERT_EQ(resolved->notes.size(), 2u);
  EXPECT_NE(resolved->notes[0].find("istio flavor"), std::string::npos);
  EXPECT_NE(resolved->notes[1].find("1.31.1"), std::string::npos);
}

struct SwitchCase {
  std::string title;
  std::optional<std::string> active;
  std::vector<std::string> installed;
  Query query;
  std::string expected;
};

class ResolveSwitch : public ::testing::TestWithParam<SwitchCase> {};

TEST_P(ResolveSwitch, InfersMissingFieldsFromTheActiveOne) {
  const auto& c = GetParam();
  std::vector<DistributionName> installed;
  for (const auto& name : c.installed) installed.push_back(resolve_name_of(name));
  std::optional<DistributionName> active;
  if (c.active) active = resolve_name_of(*c.active);
  const auto resolved = resolve_switch(c.query, active, installed);
  if (c.expected.empty()) {
    EXPECT_FALSE(resolved.ok()) << c.title;
  } else {
    ASSERT_TRUE(resolved.ok()) << c.title << ": " << resolved.error().message;
    EXPECT_EQ(resolved->name.to_string(), c.expected) << c.title;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Original, ResolveSwitch,
    ::testing::Values(
        SwitchCase{
            "all flags", "1.7.6-tetrate-v0", {}, {"", "1.7.6", "istio", 0}, "1.7.6-istio-v0"},
        SwitchCase{
            "name", "1.7.6-tetrate-v0", {}, {"1.8.3-istio-v0", "", "", -1}, "1.8.3-istio-v0"},
        SwitchCase{"minor picks the newest fetched",
                   "1.7.6-tetrate-v0",
                   {"1.7.6-istio-v0", "1.7.5-istio-v0", "1.8.1-istio-v0"},
                   {"", "1.7", "istio", 0},
                   "1.7.6-istio-v0"},
        SwitchCase{"infer nothing", "1.7.6-tetratefips-v0", {}, {}, "1.7.6-tetratefips-v0"},
        SwitchCase{"infer flavor version and version",
                   "1.7.6-tetratefips-v0",
                   {},
                   {"", "1.8.3", "istio", 1},
                   "1.8.3-istio-v1"},
        SwitchCase{
            "infer version", "1.7.6-tetratefips-v0", {}, {"", "", "istio", 1}, "1.7.6-istio-v1"},
        SwitchCase{"infer flavor",
                   "1.7.6-tetratefips-v3",
                   {},
                   {"", "1.8.3", "", -1},
                   "1.8.3-tetratefips-v3"},
        SwitchCase{"nothing active", std::nullopt, {}, {"", "1.8.3", "", -1}, ""},
        SwitchCase{"nothing active, everything given",
                   std::nullopt,
                   {},
                   {"", "1.8.3", "istio", -1},
                   "1.8.3-istio-v0"},
        SwitchCase{"minor with nothing fetched",
                   "1.7.6-istio-v0",
                   {"1.7.6-istio-v0"},
                   {"", "1.9", "", -1},
                   ""},
        SwitchCase{"minor of another flavor when the active's has none",
                   "1.8.3-istio-v0",
                   {"1.8.3-istio-v0", "1.7.6-tetrate-v0", "1.7.5-tetrate-v0", "1.7.6-tetrate-v1"},
                   {"", "1.7", "", -1},
                   "1.7.6-tetrate-v1"},
        SwitchCase{"version of another flavor when the active's has none",
                   "1.8.3-istio-v0",
                   {"1.8.3-istio-v0", "1.7.6-tetrate-v0"},
                   {"", "1.7.6", "", -1},
                   "1.7.6-tetrate-v0"},
        SwitchCase{"the active's flavor first",
                   "1.8.3-istio-v0",
                   {"1.8.3-istio-v0", "1.7.6-istio-v0", "1.7.6-tetrate-v0"},
                   {"", "1.7", "", -1},
                   "1.7.6-istio-v0"},
        SwitchCase{"a given flavor is kept",
                   "1.8.3-istio-v0",
                   {"1.8.3-istio-v0", "1.7.6-tetrate-v0"},
                   {"", "1.7", "istio", -1},
                   ""},
        SwitchCase{"bad version", "1.7.6-istio-v0", {}, {"", "1.7.6.1", "", -1}, ""},
        SwitchCase{"bad flavor", "1.7.6-istio-v0", {}, {"", "", "nope", -1}, ""}),
    [](const auto& param) { return "case" + std::to_string(param.index); });

struct LatestCase {
  std::string current;
  std::vector<std::pair<std::string, bool>> manifest;  // name, is_security_patch
  std::string expected_latest;                         // empty: none
  bool expected_security;
};

class LatestInGroup : public ::testing::TestWithParam<LatestCase> {};

TEST_P(LatestInGroup, FindsTheNewestAndSecurityFixesSinceTheCurrent) {
  const auto& c = GetParam();
  Manifest manifest;
  for (const auto& [name, security] : c.manifest) {
    manifest.distributions.push_back({resolve_name_of(name), {}, {}, security, {}});
  }
  const auto latest = latest_in_group(manifest, resolve_name_of(c.current));
  if (c.expected_latest.empty()) {
    EXPECT_EQ(latest.latest, nullptr);
    return;
  }
  ASSERT_NE(latest.latest, nullptr);
  EXPECT_EQ(latest.latest->name.to_string(), c.expected_latest);
  EXPECT_EQ(latest.security_fix_since, c.expected_security);
}

// The GetLatestDistribution cases of the original's tests.
INSTANTIATE_TEST_SUITE_P(
    Original, LatestInGroup,
    ::testing::Values(
        LatestCase{"1.8.2-tetratefips-v0",
                   {{"1.8.2-tetratefips-v0", false}},
                   "1.8.2-tetratefips-v0",
                   false},
        LatestCase{
            "1.7.5-tetratefips-v0", {{"1.7.6-tetratefips-v0", true}}, "1.7.6-tetratefips-v0", true},
        LatestCase{"1.7.6-tetratefips-v0",
                   {{"1.7.6-tetratefips-v1", false}},
                   "1.7.6-tetratefips-v1",
                   false},
        LatestCase{"1.7.1-tetratefips-v0",
                   {{"1.7.3-tetratefips-v1", false}, {"1.7.2-tetratefips-v0", true}},
                   "1.7.3-tetratefips-v1",
                   true},
        LatestCase{"1.7.3-tetratefips-v0",
                   {{"1.7.3-tetratefips-v1", false}, {"1.7.2-tetratefips-v0", true}},
                   "1.7.3-tetratefips-v1",
                   false},
        LatestCase{"1.8.2-tetratefips-v0", {{"1.8.2-tetrate-v0", false}}, "", false},
        // The installed version itself being a security release is not "a newer security fix".
        LatestCase{"1.7.6-istio-v0", {{"1.7.6-istio-v0", true}}, "1.7.6-istio-v0", false}),
    [](const auto& param) { return "case" + std::to_string(param.index); });

TEST(ResolveFetchErrors, NameWhatTheManifestLacks) {
  const auto manifest = manifest_of({"1.8.3-istio-v0"}, "istio");
  const auto missing_minor = resolve_fetch(manifest, {"", "1.99", "", -1});
  ASSERT_FALSE(missing_minor.ok());
  EXPECT_EQ(missing_minor.error().message, "the manifest has no istio 1.99.x");
  const auto missing_patch = resolve_fetch(manifest, {"", "1.8.9", "", -1});
  ASSERT_FALSE(missing_patch.ok());
  EXPECT_EQ(missing_patch.error().message, "the manifest has no 1.8.9 of the istio flavor");
  const auto missing_flavor_version = resolve_fetch(manifest, {"", "", "istio", 7});
  ASSERT_FALSE(missing_flavor_version.ok());
  EXPECT_EQ(missing_flavor_version.error().message,
            "the manifest has no istio distribution with flavor version 7");
}

TEST(NewerMinors, ListsTheNewestOfEachHigherMinorInTheFlavor) {
  const auto manifest = manifest_of({"1.31.1-istio-v0", "1.31.0-istio-v0", "1.30.5-istio-v0",
                                     "1.30.5-tetrate-v0", "1.29.8-istio-v0", "1.28.0-istio-v0"});
  std::vector<std::string> names;
  for (const auto& name : newer_minors(manifest, resolve_name_of("1.29.1-istio-v0"))) {
    names.push_back(name.to_string());
  }
  EXPECT_EQ(names, (std::vector<std::string>{"1.30.5-istio-v0", "1.31.1-istio-v0"}));
}

}  // namespace
}  // namespace getmesh::manifest
