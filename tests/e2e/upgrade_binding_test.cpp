// The upgrade record binds a cluster, not a name: two test API servers (contexts "prod", the
// current one, and "other"), the test istioctl choosing its cluster from KUBECONFIG and --context
// as the real one does.
#include "support/fake_home.hpp"
#include "support/kube_api_server.hpp"
#include "support/upgrade_cluster.hpp"

#include <getmesh/kube/client.hpp>
#include <getmesh/kube/rest_config.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace getmesh::testing {
// Named, not anonymous: a unity build compiles it with upgrade_test.cpp, which has its own kOld.
namespace upgrade_binding {

using nlohmann::json;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::Each;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

constexpr const char* kOld = "1.30.8";

// istiod "default" of 1.30.8 and two injected namespaces, installed by istioctl.
json mesh() {
  json objects = json::array({namespace_object("istio-system"),
                              labelled_namespace("shop", {{"istio-injection", "enabled"}}),
                              labelled_namespace("pay", {{"istio-injection", "enabled"}})});
  append(objects, istiod_revision("default", kOld));
  append(objects, injected_workload("shop", "web", "default", kOld));
  append(objects, injected_workload("pay", "api", "default", kOld));
  objects.push_back(installed_state("installed-state", {{"profile", "default"}, {"tag", kOld}}));
  return objects;
}

// One test API server with its client, as a cluster.
struct Cluster {
  explicit Cluster(const std::string& uid) {
    KubeApiServerOptions options;
    options.objects = mesh();
    options.kube_version = "v1.31.2";
    options.controller = true;
    options.cluster_uid = uid;
    server = std::make_unique<KubeApiServer>(options);
    kube::RestConfig config;
    config.context = uid;
    config.server = server->url();
    config.tls.ca_file = TestCertificates::get().ca_cert.string();
    config.token = "test-token";
    client = std::make_unique<kube::Client>(
        *kube::Client::connect(config, net::Client(net::Settings{}), Environment()));
  }

  json get(const std::string& path) const { return *client->get(path); }
  json labels_of(const std::string& name) const {
    return get(kube::resource_path("", "namespaces", {}, name))["metadata"].value("labels",
                                                                                  json::object());
  }
  std::vector<std::string> istiod_revisions() const {
    std::vector<std::string> revisions;
    const auto deployments =
        client->list(kube::resource_path("apps/v1", "deployments", "istio-system"));
    for (const auto& deployment : *deployments) {
      revisions.push_back(deployment["metadata"]["labels"].value("istio.io/rev", "?"));
    }
    std::sort(revisions.begin(), revisions.end());
    return revisions;
  }
  [[nodiscard]] std::string record_path() const {
    return kube::resource_path("", "configmaps", "istio-system", "getmesh-upgrade");
  }
  json record() const {
    return json::parse(get(record_path())["data"]["upgrade.json"].get<std::string>());
  }
  // Replaces the record with `change` applied (what anyone who may write ConfigMaps can do).
  void edit_record(const std::function<void(json&)>& change) const {
    auto map = get(record_path());
    auto document = json::parse(map["data"]["upgrade.json"].get<std::string>());
    change(document);
    map["data"]["upgrade.json"] = document.dump();
    ASSERT_TRUE(client->replace(record_path(), map).ok());
  }
  // Requests that changed something.
  std::vector<std::string> writes() const {
    std::vector<std::string> found;
    for (const auto& request : server->requests()) {
      if (request["method"] != "GET") found.push_back(request["path"].get<std::string>());
    }
    return found;
  }

  std::unique_ptr<KubeApiServer> server;
  std::unique_ptr<kube::Client> client;
};

class UpgradeBinding : public ::testing::Test {
 protected:
  void SetUp() override {
    fake.install("1.30.9-istio-v0", true, test_istioctl("1.30.9"));
    fake.install("1.30.8-istio-v0", true, test_istioctl("1.30.8"));
    manifest_ = fake.dir().write(
        "manifest.json",
        make_manifest({"1.30.9-istio-v0", "1.30.8-istio-v0"}, {{"1.30", "2030-01-01"}}));
    log_ = fake.root() / "istioctl.log";
    kubeconfig_ =
        fake.dir()
            .write("kubeconfig",
                   make_kubeconfig({{"prod", prod_.server->url(), token_user("test-token"), ""},
                                    {"other", other_.server->url(), token_user("test-token"), ""}},
                                   TestCertificates::get().ca_cert))
            .string();
  }

  RunResult getmesh(std::vector<std::string> args) {
    args.insert(args.begin(), {"-c", kubeconfig_});
    // FAKE_KUBE_SERVER names "other": the test istioctl must not fall back on it.
    auto env = test_istioctl_environment(*other_.server, log_);
    env["GETMESH_MANIFEST"] = manifest_.string();
    return run_getmesh(args, fake.options(env));
  }

  std::vector<std::string> calls() { return take_lines(log_); }

  FakeHome fake;
  Cluster prod_{"uid-of-prod"};
  Cluster other_{"uid-of-other"};
  std::filesystem::path manifest_;
  std::filesystem::path log_;
  std::string kubeconfig_;
};

TEST_F(UpgradeBinding, TheGlobalContextBeforeUpgradeUpgradesThatCluster) {
  const auto result = getmesh({"--context", "other", "upgrade", "--yes", "--timeout", "5s"});
  ASSERT_EQ(result.exit_code, 0) << result.err << result.out;
  EXPECT_EQ(other_.labels_of("shop"), json({{"istio.io/rev", "1-30-9"}}));
  EXPECT_THAT(other_.istiod_revisions(), Contains("1-30-9"));
  EXPECT_EQ(prod_.labels_of("shop"), json({{"istio-injection", "enabled"}}));
  EXPECT_THAT(prod_.istiod_revisions(), Not(Contains("1-30-9")));
  EXPECT_THAT(prod_.writes(), IsEmpty());
  const auto record = other_.record();
  EXPECT_EQ(record["plan"]["server"], other_.server->url());
  EXPECT_EQ(record["plan"]["cluster_uid"], "uid-of-other");
  for (const auto& call : calls()) {
    if (call.find("--help") == std::string::npos) {
      EXPECT_THAT(call, HasSubstr("--context other"));
    }
  }
}

TEST_F(UpgradeBinding, RollbackActsOnTheConnectedClusterNotOnTheRecordedName) {
  ASSERT_EQ(getmesh({"upgrade", "--yes", "--timeout", "5s"}).exit_code, 0);
  EXPECT_THAT(prod_.istiod_revisions(), Contains("1-30-9"));
  calls();
  // The record's name of the cluster now names another one of this kubeconfig.
  prod_.edit_record([](json& record) { record["plan"]["context"] = "other"; });
  const auto other_before = other_.istiod_revisions();

  const auto result = getmesh({"upgrade", "rollback", "--context", "prod", "--yes"});
  ASSERT_EQ(result.exit_code, 0) << result.err << result.out;
  EXPECT_THAT(prod_.istiod_revisions(), Not(Contains("1-30-9")));
  EXPECT_EQ(other_.istiod_revisions(), other_before);
  EXPECT_THAT(other_.writes(), IsEmpty());
  const auto made = calls();
  EXPECT_THAT(made, Contains(HasSubstr("uninstall --revision 1-30-9")));
  for (const auto& call : made) EXPECT_THAT(call, Not(HasSubstr("--context other")));
}

TEST_F(UpgradeBinding, ARecordOfAnotherClusterIsRefusedWithBothIdentities) {
  ASSERT_EQ(getmesh({"upgrade", "--yes", "--timeout", "5s"}).exit_code, 0);
  // prod's record, copied into other (a restored backup, a copied namespace).
  auto copy = prod_.get(prod_.record_path());
  copy["metadata"] = {{"name", "getmesh-upgrade"}, {"namespace", "istio-system"}};
  ASSERT_TRUE(
      other_.client->create(kube::resource_path("", "configmaps", "istio-system"), copy).ok());
  calls();

  for (const std::vector<std::string>& command :
       {std::vector<std::string>{"upgrade", "status"},
        std::vector<std::string>{"upgrade", "rollback", "--yes"},
        std::vector<std::string>{"upgrade", "finish", "--yes"},
        std::vector<std::string>{"upgrade", "--yes", "--timeout", "5s"}}) {
    auto args = command;
    args.insert(args.begin(), {"--context", "other"});
    const auto writes_before = other_.writes().size();
    const auto result = getmesh(args);
    EXPECT_EQ(result.exit_code, 1) << command[1] << result.err;
    EXPECT_THAT(result.err,
                AllOf(HasSubstr("the upgrade record names another cluster"),
                      HasSubstr(prod_.server->url() + " (kube-system UID uid-of-prod)"),
                      HasSubstr(other_.server->url() + " (kube-system UID uid-of-other)")))
        << command[1];
    EXPECT_EQ(other_.writes().size(), writes_before) << command[1];
  }
  EXPECT_THAT(calls(), IsEmpty());
}

TEST_F(UpgradeBinding, ARecordWithoutIdentityIsBoundByItsServerAndGetsOne) {
  ASSERT_EQ(getmesh({"upgrade", "--yes", "--timeout", "5s"}).exit_code, 0);
  prod_.edit_record([](json& record) { record["plan"].erase("cluster_uid"); });
  auto result = getmesh({"upgrade", "status"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.err, HasSubstr("predates cluster identities"));
  EXPECT_THAT(result.err, HasSubstr(prod_.server->url()));
  result = getmesh({"upgrade", "finish", "--yes"});
  ASSERT_EQ(result.exit_code, 0) << result.err << result.out;
  EXPECT_EQ(prod_.record()["plan"]["cluster_uid"], "uid-of-prod");

  // An old record of another server is still refused.
  prod_.edit_record([&](json& record) {
    record["plan"].erase("cluster_uid");
    record["plan"]["server"] = other_.server->url();
  });
  result = getmesh({"upgrade", "status"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("another cluster"));
}

TEST_F(UpgradeBinding, RecordedValuesAreCheckedLikeCommandLineValues) {
  ASSERT_EQ(getmesh({"upgrade", "--yes", "--timeout", "5s"}).exit_code, 0);
  calls();
  const std::vector<std::pair<std::string, std::function<void(json&)>>> tampered = {
      {"target.revision \"1-30-9 --context=other\"",
       [](json& r) { r["plan"]["target"]["revision"] = "1-30-9 --context=other"; }},
      {"source.revision \"Default\"", [](json& r) { r["plan"]["source"]["revision"] = "Default"; }},
      {"install.set \"--context=other\"",
       [](json& r) { r["plan"]["install"]["set"] = json::array({"--context=other"}); }},
      {"install.hub \"https://evil.example/istio\"",
       [](json& r) { r["plan"]["install"]["hub"] = "https://evil.example/istio"; }},
      {"install.files \"relative.yaml\"",
       [](json& r) { r["plan"]["install"]["files"] = json::array({"relative.yaml"}); }},
      {"namespaces[].name \"shop\\x1b[2J\"",
       [](json& r) { r["plan"]["namespaces"][0]["name"] = "shop\x1b[2J"; }},
  };
  const auto good = prod_.get(prod_.record_path());
  for (const auto& [field, change] : tampered) {
    prod_.edit_record(change);
    for (const std::vector<std::string>& command :
         {std::vector<std::string>{"upgrade", "status"},
          std::vector<std::string>{"upgrade", "rollback", "--yes"}}) {
      const auto result = getmesh(command);
      EXPECT_EQ(result.exit_code, 1) << field << result.err;
      EXPECT_THAT(result.err, HasSubstr("the recorded plan's " + field)) << command[1];
      EXPECT_THAT(result.err, Not(HasSubstr("\x1b"))) << field;
    }
    auto restored = good;
    restored["metadata"]["resourceVersion"] =
        prod_.get(prod_.record_path())["metadata"]["resourceVersion"];
    ASSERT_TRUE(prod_.client->replace(prod_.record_path(), restored).ok());
  }
  EXPECT_THAT(calls(), IsEmpty());
}

}  // namespace upgrade_binding
}  // namespace getmesh::testing
