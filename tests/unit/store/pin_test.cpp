#include <getmesh/store/pin.hpp>

#include <gtest/gtest.h>

#include <tuple>
#include <vector>

namespace getmesh::store {
namespace {

DistributionName distribution(const std::string& text) { return *DistributionName::parse(text); }

TEST(PinKinds, ANameAVersionOrAMinor) {
  const auto exact = parse_pin(" 1.29.8-tetrate-v1\n", "/p/.getmesh-version");
  ASSERT_TRUE(exact.ok());
  EXPECT_EQ(exact->kind, PinKind::kName);
  EXPECT_EQ(exact->text(), "1.29.8-tetrate-v1");
  const auto version = parse_pin("1.29.8\n", "/p/.getmesh-version");
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(version->kind, PinKind::kVersion);
  EXPECT_EQ(version->text(), "1.29.8");
  const auto minor = parse_pin("1.29", "/p/.getmesh-version");
  ASSERT_TRUE(minor.ok());
  EXPECT_EQ(minor->kind, PinKind::kMinor);
  EXPECT_EQ(minor->text(), "1.29");
  for (const auto& [written, kind, text] :
       std::vector<std::tuple<std::string, PinKind, std::string>>{
           {"v1.29.8\n", PinKind::kVersion, "1.29.8"},
           {"V1.29", PinKind::kMinor, "1.29"},
           {"v1.29.8-tetrate-v1", PinKind::kName, "1.29.8-tetrate-v1"}}) {
    const auto prefixed = parse_pin(written, "/p/.getmesh-version");
    ASSERT_TRUE(prefixed.ok()) << written;
    EXPECT_EQ(prefixed->kind, kind) << written;
    EXPECT_EQ(prefixed->text(), text) << written;
  }
  for (const char* bad : {"", "latest", "1", "1.29.x", "1.29.8-istio", "v", "vv1.29"}) {
    const auto refused = parse_pin(bad, "/p/.getmesh-version");
    ASSERT_FALSE(refused.ok()) << bad;
    EXPECT_NE(refused.error().message.find("/p/.getmesh-version"), std::string::npos);
  }
}

TEST(PinKinds, ResolveToTheNewestMatchingIstioFlavorDistribution) {
  const std::vector<DistributionName> installed = {
      distribution("1.30.1-istio-v0"), distribution("1.29.8-istio-v1"),
      distribution("1.29.8-istio-v0"), distribution("1.29.9-tetrate-v0"),
      distribution("1.29.7-istio-v0")};
  EXPECT_EQ(resolve_pin(*parse_pin("1.29", "f"), installed), distribution("1.29.8-istio-v1"));
  EXPECT_EQ(resolve_pin(*parse_pin("1.29.7", "f"), installed), distribution("1.29.7-istio-v0"));
  EXPECT_EQ(resolve_pin(*parse_pin("1.28", "f"), installed), std::nullopt);
  EXPECT_EQ(resolve_pin(*parse_pin("1.29.9", "f"), installed), std::nullopt)
      << "a version pin means the istio flavor";
  EXPECT_EQ(resolve_pin(*parse_pin("1.27.0-istio-v0", "f"), installed),
            distribution("1.27.0-istio-v0"))
      << "a named distribution is returned even when it is not fetched";
}

}  // namespace
}  // namespace getmesh::store
