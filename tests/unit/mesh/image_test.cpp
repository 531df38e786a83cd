#include <getmesh/mesh/image.hpp>

#include <gtest/gtest.h>

namespace getmesh::mesh {
namespace {

TEST(Image, ParsesEveryKnownTagShape) {
  struct Case {
    const char* image;
    const char* name;  // "" when no version can be told
    const char* variant;
  };
  const Case cases[] = {
      {"docker.io/istio/pilot:1.29.8", "1.29.8-istio-v0", ""},
      {"gcr.io/istio-release/pilot:1.20.3-distroless", "1.20.3-istio-v0", "distroless"},
      {"docker.io/istio/proxyv2:1.29.8-debug", "1.29.8-istio-v0", "debug"},
      {"containers.istio.tetratelabs.com/pilot:1.18.2-tetrate-v0", "1.18.2-tetrate-v0", ""},
      {"containers.istio.tetratelabs.com/proxyv2:1.12.2-tetratefips-v1", "1.12.2-tetratefips-v1",
       ""},
      {"addon-registry.example.com/pilot:1.18.2-tetrate-v0-distroless", "1.18.2-tetrate-v0",
       "distroless"},
      {"tetrate/pilot:1.16.7-tetrate0", "1.16.7-tetrate-v0", ""},
      {"tetrate/pilot:1.16.7-tetratefips0", "1.16.7-tetratefips-v0", ""},
      {"tetrate/proxyv2:1.16.7-tetrate3-distroless", "1.16.7-tetrate-v3", "distroless"},
      {"registry.local:5000/istio/pilot:1.30.5", "1.30.5-istio-v0", ""},
      {"registry.local:5000/istio/pilot:1.30.5@sha256:0123abcd", "1.30.5-istio-v0", ""},
      {"istio/ztunnel:1.29.8", "1.29.8-istio-v0", ""},
      {"pilot:v1.29.8", "1.29.8-istio-v0", ""},
      {"docker.io/istio/pilot@sha256:0123abcd", "", ""},
      {"registry.local:5000/istio/pilot", "", ""},
      {"docker.io/istio/pilot:latest", "", ""},
      {"docker.io/istio/pilot:1.31.0-rc.0", "", ""},
      {"docker.io/istio/pilot:1.29-dev", "", ""},
      {"docker.io/istio/pilot:1.29.8-custom-v1", "", ""},
      {"", "", ""},
  };
  for (const auto& c : cases) {
    const auto parsed = parse_image(c.image);
    EXPECT_EQ(parsed.name ? parsed.name->to_string() : "", c.name) << c.image;
    EXPECT_EQ(parsed.variant, c.variant) << c.image;
  }
  EXPECT_EQ(describe(parse_image("docker.io/istio/pilot:latest")), "latest");
  EXPECT_EQ(describe(parse_image("docker.io/istio/pilot@sha256:0123abcd")), "unknown");
  EXPECT_EQ(describe(parse_image("docker.io/istio/pilot:1.29.8")), "1.29.8-istio-v0");
}

TEST(Image, FipsFlavors) {
  const std::pair<const char*, bool> cases[] = {
      {"containers.istio.tetratelabs.com/pilot:1.18.2-tetratefips-v0", true},
      {"containers.istio.tetratelabs.com/proxyv2:1.18.2-tetratefips-v0-distroless", true},
      {"tetrate/pilot:1.16.7-tetratefips0", true},
      {"us-docker.pkg.dev/gloo-mesh/istio-1234/pilot:1.22.1-solo-fips-distroless", true},
      {"containers.istio.tetratelabs.com/pilot:1.18.2-tetrate-v0", false},
      {"docker.io/istio/pilot:1.29.8", false},
      {"registry.local/fipsy/pilot:1.29.8", false},
      {"docker.io/istio/pilot@sha256:0123abcd", false},
  };
  for (const auto& [image, fips] : cases) EXPECT_EQ(parse_image(image).fips, fips) << image;
}

TEST(Image, VersionLabels) {
  EXPECT_EQ(parse_version_label("1.29.8")->to_string(), "1.29.8-istio-v0");
  EXPECT_EQ(parse_version_label(" v1.18.2-tetrate-v0 ")->to_string(), "1.18.2-tetrate-v0");
  EXPECT_FALSE(parse_version_label("").has_value());
  EXPECT_FALSE(parse_version_label("unknown").has_value());
}

}  // namespace
}  // namespace getmesh::mesh
