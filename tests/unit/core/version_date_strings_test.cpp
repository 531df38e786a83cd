#include <getmesh/core/date.hpp>
#include <getmesh/core/strings.hpp>
#include <getmesh/core/version.hpp>
#include <getmesh/core/words.hpp>

#include <gtest/gtest.h>

namespace getmesh {
namespace {

TEST(Version, ParsesExactlyThreeNumbers) {
  const auto version = Version::parse("1.29.8");
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(version->to_string(), "1.29.8");
  EXPECT_EQ(version->minor_string(), "1.29");
  for (const char* bad : {"", "1.29", "1.29.8.1", "1.x.8", "1..8", "-1.2.3", "1.2.3 ", "v1.2.3"}) {
    EXPECT_FALSE(Version::parse(bad).ok()) << bad;
  }
}

TEST(Version, ComparesNumerically) {
  EXPECT_LT(*Version::parse("1.9.10"), *Version::parse("1.10.0"));
  EXPECT_LT(*Version::parse("1.10.2"), *Version::parse("1.10.10"));
  EXPECT_LT(*Version::parse("1.99.0"), *Version::parse("2.0.0"));
}

TEST(MinorVersion, ParsesWithOrWithoutPatch) {
  EXPECT_EQ(MinorVersion::parse("1.18")->to_string(), "1.18");
  EXPECT_FALSE(MinorVersion::parse("1.18.2").ok());
  EXPECT_EQ(MinorVersion::parse("1.18.2", true)->to_string(), "1.18");
  EXPECT_FALSE(MinorVersion::parse("1").ok());
}

TEST(CivilDate, ParsesStrictCalendarDates) {
  for (const char* good : {"2021-01-12", "2022-12-01", "2024-02-29", "2020-11-21"}) {
    const auto date = CivilDate::parse(good);
    ASSERT_TRUE(date.ok()) << good;
    EXPECT_EQ(date->to_string(), good);
  }
  for (const char* bad : {"2020-", "2020-01-", "2020-01", "2023-02-29", "2023-13-01", "2023-00-10",
                          "2023-1-01", "20230101", "2023-01-32"}) {
    EXPECT_FALSE(CivilDate::parse(bad).ok()) << bad;
  }
}

TEST(CivilDate, CountsDaysAcrossYearsAndRoundTrips) {
  EXPECT_EQ(days_between(*CivilDate::parse("2026-10-12"), *CivilDate::parse("2026-11-27")), 46);
  EXPECT_EQ(days_between(*CivilDate::parse("2024-03-01"), *CivilDate::parse("2024-02-28")), -2);
  EXPECT_EQ(CivilDate::parse("1970-01-01")->days_since_epoch(), 0);
  for (std::int64_t day : {-1000, 0, 19000, 20419, 40000}) {
    EXPECT_EQ(CivilDate::from_days(day).days_since_epoch(), day);
  }
}

TEST(Strings, SplitJoinTrim) {
  EXPECT_EQ(split("a,,b", ','), (std::vector<std::string>{"a", "", "b"}));
  EXPECT_EQ(join({"a", "b", "c"}, ", "), "a, b, c");
  EXPECT_EQ(trim("  x y \n"), "x y");
  EXPECT_EQ(parse_non_negative("0042"), 42);
  EXPECT_FALSE(parse_non_negative("-1"));
  EXPECT_FALSE(parse_non_negative("12a"));
  EXPECT_FALSE(parse_non_negative("99999999999999999999"));
  EXPECT_EQ(quote("a\"b\n"), "\"a\\\"b\\x0a\"");
}

TEST(Strings, CountedNounsAndAgreeingVerbs) {
  EXPECT_EQ(counted(1, "input problem"), "1 input problem");
  EXPECT_EQ(counted(2, "input problem"), "2 input problems");
  EXPECT_EQ(counted(0, "sidecar"), "0 sidecars");
  EXPECT_EQ(counted(3, "proxy"), "3 proxies");
  EXPECT_EQ(counted(2, "gateway"), "2 gateways");
  EXPECT_EQ(agreeing(1, "runs", "run"), "runs");
  EXPECT_EQ(agreeing(2, "runs", "run"), "run");
}

TEST(Strings, ClosestMatchFindsTyposOnly) {
  const std::vector<std::string> commands = {"fetch", "switch", "show", "list", "prune"};
  EXPECT_EQ(closest_match("swich", commands), "switch");
  EXPECT_EQ(closest_match("fecth", commands), "fetch");
  EXPECT_EQ(closest_match("verison", {"version", "verbose"}), "version");
  EXPECT_EQ(closest_match("defualt_hub", {"default_hub", "auto_select"}), "default_hub");
  EXPECT_FALSE(closest_match("deploy", commands));
  EXPECT_FALSE(closest_match("fetch", commands)) << "an exact name is no typo";
  EXPECT_FALSE(closest_match("ls", commands)) << "two letters may differ by one only";
}

}  // namespace
}  // namespace getmesh
