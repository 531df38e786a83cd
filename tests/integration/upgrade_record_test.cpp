// The upgrade record in a ConfigMap of the test API server: create-if-absent, resourceVersion on
// every update, claims by live and dead runs.
#include "support/kube_api_server.hpp"
#include "support/temp_dir.hpp"

#include <getmesh/kube/rest_config.hpp>
#include <getmesh/upgrade/apply.hpp>
#include <getmesh/upgrade/session.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace getmesh::upgrade {
namespace {

using namespace getmesh::testing;
using ::testing::HasSubstr;
using ::testing::Not;

Plan small_plan() {
  Plan plan;
  plan.context = "prod";
  plan.istio_namespace = "istio-system";
  plan.source = {"default", *DistributionName::parse("1.30.8-istio-v0")};
  plan.target = {"1-30-9", *DistributionName::parse("1.30.9-istio-v0")};
  return plan;
}

class UpgradeRecordStore : public ::testing::Test {
 protected:
  void SetUp() override {
    KubeApiServerOptions options;
    options.objects = nlohmann::json::array({namespace_object("istio-system")});
    server_ = std::make_unique<KubeApiServer>(options);
    const auto file = dir_.write(
        "config", make_kubeconfig({{"test", server_->url(), token_user("test-token"), ""}},
                                  TestCertificates::get().ca_cert));
    Environment environment;
    auto config = kube::rest_config_for(file.string(), "", environment);
    client_ = std::make_unique<kube::Client>(
        *kube::Client::connect(*config, net::Client(net::Settings{}), environment));
  }

  TempDir dir_;
  std::unique_ptr<KubeApiServer> server_;
  std::unique_ptr<kube::Client> client_;
};

TEST_F(UpgradeRecordStore, OnlyOneOfTwoStartsWins) {
  RecordStore store(*client_, "istio-system");
  auto empty = store.load();
  ASSERT_TRUE(empty.ok()) << empty.error().message;
  EXPECT_FALSE(empty->has_value());

  auto first = start(store, small_plan(), std::nullopt, 1000);
  ASSERT_TRUE(first.ok()) << first.error().message;
  auto second = start(store, small_plan(), std::nullopt, 1000);
  ASSERT_FALSE(second.ok());
  EXPECT_THAT(
      second.error().message,
      HasSubstr("another getmesh upgrade run started an upgrade of this cluster at the same "
                "moment (ConfigMap istio-system/getmesh-upgrade)"));

  auto loaded = store.load();
  ASSERT_TRUE(loaded.ok() && loaded->has_value());
  EXPECT_EQ((*loaded)->plan.target.revision, "1-30-9");
  EXPECT_EQ((*loaded)->holder->pid, first->holder->pid);

  // A writer that read an older version loses.
  auto stale = **loaded;
  first->mark_done("fetch");
  ASSERT_TRUE(store.save(*first).ok());
  stale.mark_done("install");
  auto lost = store.save(stale);
  ASSERT_FALSE(lost.ok());
  EXPECT_EQ(lost.error().http_status, 409);

  // A finished record is replaced by the next upgrade, by its resourceVersion.
  auto current = *store.load();
  (*current).phase = Phase::kFinished;
  (*current).holder.reset();
  ASSERT_TRUE(store.save(*current).ok());
  auto next = start(store, small_plan(), *current, 2000);
  ASSERT_TRUE(next.ok()) << next.error().message;
  EXPECT_EQ((*store.load())->phase, Phase::kInProgress);
}

TEST_F(UpgradeRecordStore, ClaimsOfLiveRunsAreRefusedAndDeadOnesTakenOver) {
  RecordStore store(*client_, "istio-system");
  auto record = start(store, small_plan(), std::nullopt, 1000);
  ASSERT_TRUE(record.ok()) << record.error().message;

  auto other = **store.load();
  auto refused = claim(other, store, 1000);  // this process holds it and is alive
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(refused.error().message, HasSubstr("another getmesh upgrade run (pid "));

  record->holder->pid = 999999999;  // a run that died on this host
  ASSERT_TRUE(store.save(*record).ok());
  auto taken = **store.load();
  ASSERT_TRUE(claim(taken, store, 1000).ok());
  EXPECT_EQ((*store.load())->holder->id, taken.holder->id);

  record->holder = Holder{"far", "another-host", 1, 1000};  // elsewhere, claim renewed at 1000
  record->resource_version = taken.resource_version;
  ASSERT_TRUE(store.save(*record).ok());
  auto remote = **store.load();
  EXPECT_FALSE(claim(remote, store, 1000 + kLeaseSeconds - 1).ok());
  EXPECT_TRUE(claim(remote, store, 1000 + kLeaseSeconds).ok());
}

TEST_F(UpgradeRecordStore, ClaimsDatedInTheFutureAndTakeOvers) {
  RecordStore store(*client_, "istio-system");
  auto record = start(store, small_plan(), std::nullopt, 1000);
  ASSERT_TRUE(record.ok()) << record.error().message;
  // A claim from elsewhere dated a day ahead is not trusted until then.
  record->holder = Holder{"far", "another-host", 1, 1000 + 86400};
  ASSERT_TRUE(store.save(*record).ok());
  auto late = **store.load();
  auto claimed = claim(late, store, 1000);
  ASSERT_TRUE(claimed.ok()) << claimed.error().message;
  EXPECT_EQ((*store.load())->holder->host, current_holder(0).host);

  // A live claim (this very process) is only ended by a take-over.
  auto other = **store.load();
  auto refused = claim(other, store, 1000);
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(refused.error().hint, HasSubstr("end its claim with --take-over"));
  ASSERT_TRUE(claim(other, store, 1000, /*take_over=*/true).ok());
  EXPECT_EQ((*store.load())->holder->id, other.holder->id);
  EXPECT_NE(other.holder->id, late.holder->id);
  // The run whose claim was taken over stops at its next write.
  late.mark_done("fetch");
  auto stale = store.save(late);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().http_status, 409);
}

TEST_F(UpgradeRecordStore, ARecordThatNamesAnotherInstalledRevisionIsRefused) {
  RecordStore store(*client_, "istio-system");
  auto record = start(store, small_plan(), std::nullopt, 1000);
  ASSERT_TRUE(record.ok()) << record.error().message;
  auto map = *client_->get(kube::resource_path("", "configmaps", "istio-system", kRecordName));
  auto document = nlohmann::json::parse(map["data"][kRecordKey].get<std::string>());
  document["installed_revisions"] = {"default"};  // edited: a rollback would remove default
  map["data"][kRecordKey] = document.dump();
  ASSERT_TRUE(
      client_->replace(kube::resource_path("", "configmaps", "istio-system", kRecordName), map)
          .ok());
  auto loaded = store.load();
  ASSERT_FALSE(loaded.ok());
  EXPECT_THAT(loaded.error().message,
              HasSubstr("is not readable: the record's installed_revisions names revision "
                        "\"default\", which is not the upgrade's target revision \"1-30-9\""));
}

TEST_F(UpgradeRecordStore, AnUnreadableRecordSaysHowToClearIt) {
  nlohmann::json map = {{"apiVersion", "v1"},
                        {"kind", "ConfigMap"},
                        {"metadata", {{"name", "getmesh-upgrade"}}},
                        {"data", {{"upgrade.json", "{not json"}}}};
  ASSERT_TRUE(client_->create(kube::resource_path("", "configmaps", "istio-system"), map).ok());
  auto loaded = RecordStore(*client_, "istio-system").load();
  ASSERT_FALSE(loaded.ok());
  EXPECT_THAT(
      loaded.error().message,
      HasSubstr("the upgrade record ConfigMap istio-system/getmesh-upgrade is not readable"));
  EXPECT_THAT(loaded.error().hint,
              HasSubstr("kubectl -n istio-system delete configmap getmesh-upgrade"));
}

Plan helm_plan(const std::string& secret) {
  auto plan = small_plan();
  HelmUpgrade helm;
  helm.chart_repo = "https://charts.example";
  helm.control_plane = {
      "istiod", "istio-system", "istiod", "1.30.8", 1, {{"pilot", {{"env", {{"TOKEN", secret}}}}}}};
  helm.new_release = "istiod-1-30-9";
  helm.new_values = {{"revision", "1-30-9"}, {"pilot", {{"env", {{"TOKEN", secret}}}}}};
  helm.gateways.push_back(
      {"ingress", "istio-ingress", "gateway", "1.30.8", 2, {{"password", secret}}});
  helm.gateway_moves = {"ingress: revision default → 1-30-9"};
  plan.helm = helm;
  return plan;
}

TEST_F(UpgradeRecordStore, HelmValuesLiveInASecretTheRecordOwnsNeverInItsConfigMap) {
  RecordStore store(*client_, "istio-system");
  auto record = start(store, helm_plan("first-s3cr3t"), std::nullopt, 1000);
  ASSERT_TRUE(record.ok()) << record.error().message;
  const auto map_path = kube::resource_path("", "configmaps", "istio-system", kRecordName);
  auto map = *client_->get(map_path);
  EXPECT_THAT(map.dump(), Not(HasSubstr("first-s3cr3t")));
  const auto first = record->values_id;
  ASSERT_FALSE(first.empty());
  const auto first_path =
      kube::resource_path("", "secrets", "istio-system", "getmesh-upgrade-values-" + first);
  const auto secret = *client_->get(first_path);
  EXPECT_EQ(secret["metadata"]["ownerReferences"][0]["uid"], map["metadata"]["uid"]);
  EXPECT_EQ(secret["type"], "Opaque");

  auto loaded = store.load();
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ((*loaded)->plan.helm->new_values["pilot"]["env"]["TOKEN"], "first-s3cr3t");
  EXPECT_EQ((*loaded)->plan.helm->gateways[0].values["password"], "first-s3cr3t");
  EXPECT_EQ((*loaded)->plan.helm->control_plane.values["pilot"]["env"]["TOKEN"], "first-s3cr3t");

  // Saving progress writes the ConfigMap only; the next plan gets its own Secret and the old goes.
  (*loaded)->mark_done("fetch");
  ASSERT_TRUE(store.save(**loaded).ok());
  (*loaded)->phase = Phase::kFinished;
  (*loaded)->holder.reset();
  ASSERT_TRUE(store.save(**loaded).ok());
  auto next = start(store, helm_plan("second-s3cr3t"), **loaded, 2000);
  ASSERT_TRUE(next.ok()) << next.error().message;
  EXPECT_NE(next->values_id, first);
  EXPECT_FALSE(client_->get_if_exists(first_path)->has_value()) << "the replaced plan's values";
  EXPECT_THAT(client_->get(map_path)->dump(), Not(HasSubstr("s3cr3t")));
  EXPECT_EQ((*store.load())->plan.helm->gateways[0].values["password"], "second-s3cr3t");

  // Without its values an active record cannot be acted on.
  ASSERT_TRUE(client_
                  ->remove(kube::resource_path("", "secrets", "istio-system",
                                               "getmesh-upgrade-values-" + next->values_id))
                  .ok());
  auto missing = store.load();
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.error().message,
              HasSubstr("is not readable: Secret istio-system/getmesh-upgrade-values-" +
                        next->values_id + " with the Helm values of its plan is missing"));
}

TEST_F(UpgradeRecordStore, AValuesSecretLeftWithoutItsOwnerIsOwnedAgainAtTheNextWrite) {
  RecordStore store(*client_, "istio-system");
  auto record = start(store, helm_plan("s3cr3t"), std::nullopt, 1000);
  ASSERT_TRUE(record.ok()) << record.error().message;
  const auto secret_path = kube::resource_path("", "secrets", "istio-system",
                                               "getmesh-upgrade-values-" + record->values_id);
  // A run killed between writing the ConfigMap and owning the Secret to it.
  ASSERT_TRUE(client_
                  ->patch(secret_path, {{"metadata", {{"ownerReferences", nullptr}}}},
                          kube::PatchType::kMerge)
                  .ok());
  ASSERT_FALSE(client_->get(secret_path)->at("metadata").contains("ownerReferences"));

  auto loaded = store.load();
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ((*loaded)->plan.helm->gateways[0].values["password"], "s3cr3t");
  (*loaded)->mark_done("fetch");
  ASSERT_TRUE(store.save(**loaded).ok());
  const auto map =
      *client_->get(kube::resource_path("", "configmaps", "istio-system", kRecordName));
  const auto secret = *client_->get(secret_path);
  ASSERT_TRUE(secret["metadata"].contains("ownerReferences")) << secret.dump();
  EXPECT_EQ(secret["metadata"]["ownerReferences"],
            nlohmann::json::array({{{"apiVersion", "v1"},
                                    {"kind", "ConfigMap"},
                                    {"name", kRecordName},
                                    {"uid", map["metadata"]["uid"]}}}));

  // Owned, the next writes leave it alone.
  const auto version = secret["metadata"]["resourceVersion"];
  (*loaded)->mark_done("install");
  ASSERT_TRUE(store.save(**loaded).ok());
  EXPECT_EQ((*client_->get(secret_path))["metadata"]["resourceVersion"], version);
}

TEST_F(UpgradeRecordStore, ALostStartLeavesNoValuesSecretBehind) {
  RecordStore store(*client_, "istio-system");
  ASSERT_TRUE(start(store, helm_plan("a"), std::nullopt, 1000).ok());
  auto second = start(store, helm_plan("b"), std::nullopt, 1000);
  ASSERT_FALSE(second.ok());
  kube::ListOptions options;
  options.label_selector = "app.kubernetes.io/managed-by=getmesh";
  const auto secrets = client_->list(kube::resource_path("", "secrets", "istio-system"), options);
  ASSERT_TRUE(secrets.ok());
  EXPECT_EQ(secrets->size(), 1u) << "only the winner's values";
}

}  // namespace
}  // namespace getmesh::upgrade
