#include <getmesh/validate/source.hpp>
#include <getmesh/validate/validate.hpp>

#include <gtest/gtest.h>

namespace getmesh::validate {
namespace {

Resource object(Kind kind, std::string ns, std::string name, std::string file = {}) {
  Resource resource;
  resource.kind = kind;
  resource.namespace_ = std::move(ns);
  resource.name = std::move(name);
  resource.origin.file = std::move(file);
  return resource;
}

TEST(ValidateOverlay, FilesReplaceClusterObjectsOfTheSameIdentity) {
  const auto world = overlay(
      {object(Kind::kGateway, "a", "g"), object(Kind::kVirtualService, "a", "g")},
      {object(Kind::kGateway, "a", "g", "f.yaml"), object(Kind::kGateway, "b", "g", "f.yaml")});
  ASSERT_EQ(world.size(), 3U);
  EXPECT_EQ(world[0].origin.file, "f.yaml");
  EXPECT_EQ(world[1].kind, Kind::kVirtualService);
  EXPECT_EQ(world[2].namespace_, "b");
}

TEST(ValidateOverlay, NamespaceFilterKeepsTheNamespaceAndClusterScopedFindings) {
  std::vector<Finding> findings(5);
  findings[0].object = {"VirtualService", "a", "x"};
  findings[1].object = {"VirtualService", "b", "x"};
  findings[2].object = {"Namespace", "", "a"};
  findings[3].object = {"Namespace", "", "b"};  // another namespace: not a concern of -n a
  findings[4].object = {"GatewayClass", "", "istio"};
  const auto kept = in_namespace(findings, "a");
  ASSERT_EQ(kept.size(), 3U);
  EXPECT_EQ(kept[0].object.namespace_, "a");
  EXPECT_EQ(kept[1].object.name, "a");
  EXPECT_EQ(kept[2].object.kind, "GatewayClass");
}

// A cluster with Istio that serves fixed objects.
class FakeCluster : public ResourceSource {
 public:
  explicit FakeCluster(std::vector<Resource> objects) : objects_(std::move(objects)) {}
  Result<ClusterState> read(std::span<const Kind>) override {
    ClusterState state;
    state.resources = objects_;
    state.complete.set();
    state.serves_istio = true;
    return state;
  }
  Result<std::optional<Resource>> read_secret(const std::string& ns,
                                              const std::string& name) override {
    for (const auto& object : objects_) {
      if (object.kind == Kind::kSecret && object.namespace_ == ns && object.name == name)
        return std::optional<Resource>(object);
    }
    return std::optional<Resource>();
  }
  [[nodiscard]] std::string describe() const override { return "fake cluster"; }

 private:
  std::vector<Resource> objects_;
};

TEST(ValidateOverlay, ClusterObjectsCompleteTheWorld) {
  // A file VirtualService routing to a host only the cluster knows is fine; a missing one is not.
  auto service = object(Kind::kService, "bookinfo", "reviews");
  service.document = Node::map(0);
  FakeCluster cluster({service});
  Request request;
  request.cluster = &cluster;
  request.paths = {"-"};
  request.read_stdin = [] {
    return Result<std::string>(
        std::string("apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: "
                    "vs, namespace: bookinfo}\n"
                    "spec: {hosts: [reviews], http: [{route: [{destination: {host: reviews}}, "
                    "{destination: {host: ghost}}]}]}\n"));
  };
  const auto report = validate(request);
  ASSERT_TRUE(report.ok()) << report.error().message;
  std::vector<std::string> messages;
  for (const auto& finding : report->findings) {
    if (finding.code == "IST0101") messages.push_back(finding.message);
  }
  EXPECT_EQ(messages, std::vector<std::string>{"Referenced host not found: \"ghost\""});
  EXPECT_EQ(report->objects, 2U);
}

}  // namespace
}  // namespace getmesh::validate
