#include <getmesh/upgrade/gates.hpp>
#include <getmesh/upgrade/record.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <unistd.h>

namespace getmesh::upgrade {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

Plan small_plan() {
  Plan plan;
  plan.context = "prod";
  plan.istio_namespace = "istio-system";
  plan.source = {"default", *DistributionName::parse("1.30.8-istio-v0")};
  plan.target = {"1-30-9", *DistributionName::parse("1.30.9-istio-v0")};
  plan.namespaces = {{"shop", "istio-injection=enabled", "", {"Deployment/web"}, {}, {}}};
  return plan;
}

TEST(UpgradeRecord, JsonRoundTrip) {
  Record record;
  record.plan = small_plan();
  record.phase = Phase::kStopped;
  record.mark_done("fetch");
  record.mark_done("fetch");
  record.mark_done("install");
  record.moved_namespaces = {"shop"};
  record.batches_done = 1;
  record.default_revision_moved = true;
  record.restart_stamp = "2026-11-29T10:00:00Z";
  record.message = "1 proxy did not move";
  record.holder = Holder{"abc", "host-1", 42, 1700000000};
  EXPECT_THAT(record.done, ElementsAre("fetch", "install"));
  const auto document = to_json(record);
  auto back = record_from_json(json::parse(document.dump()));
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(to_json(*back), document);
  EXPECT_TRUE(back->default_revision_moved);
  EXPECT_TRUE(back->active());
  back->phase = Phase::kFinished;
  EXPECT_FALSE(back->active());

  auto broken = json::parse(document.dump());
  broken["phase"] = "sideways";
  EXPECT_THAT(record_from_json(broken).error().message, HasSubstr("no valid phase"));
  broken = json::parse(document.dump());
  broken["batches_done"] = "two";
  EXPECT_THAT(record_from_json(broken).error().message, HasSubstr("wrong type"));
}

TEST(UpgradeRecord, HoldersAreAliveByPidHereAndByLeaseElsewhere) {
  const auto me = current_holder(1000);
  EXPECT_EQ(me.pid, ::getpid());
  EXPECT_EQ(me.id.size(), 16u);
  EXPECT_TRUE(holder_alive(me, me.host, 1000 + 10 * kLeaseSeconds)) << "pid alive on this host";
  Holder dead = me;
  dead.pid = 999999999;  // no such process
  EXPECT_FALSE(holder_alive(dead, me.host, 1000));
  Holder remote{"x", "elsewhere", 1, 1000};
  EXPECT_TRUE(holder_alive(remote, me.host, 1000 + kLeaseSeconds - 1));
  EXPECT_FALSE(holder_alive(remote, me.host, 1000 + kLeaseSeconds));
}

TEST(UpgradeRecord, AClaimHoldsWhileTheIstioctlOfADeadRunRuns) {
  const auto me = current_holder(1000);
  Holder dead = me;
  dead.pid = 999999999;     // the run was killed
  dead.child = ::getpid();  // the istioctl it started still runs
  EXPECT_TRUE(holder_alive(dead, me.host, 1000 + 10 * kLeaseSeconds));
  dead.child = 999999998;  // istioctl ended too
  EXPECT_FALSE(holder_alive(dead, me.host, 1000));
  Holder remote{"x", "elsewhere", 1, 1000, ::getpid()};  // a pid means nothing elsewhere
  EXPECT_FALSE(holder_alive(remote, me.host, 1000 + kLeaseSeconds));

  Record record;
  record.plan = small_plan();
  record.holder = Holder{"abc", "host-1", 42, 1700000000, 4242};
  auto document = json::parse(to_json(record).dump());
  EXPECT_EQ(document["holder"]["child"], 4242);
  EXPECT_EQ(record_from_json(document)->holder->child, 4242);
  document["holder"]["child"] = -1;  // kill(-1) would mean every process
  EXPECT_THAT(record_from_json(document).error().message,
              HasSubstr("holder.child is not a process id: -1"));
  document["holder"]["child"] = "4242";
  EXPECT_THAT(record_from_json(document).error().message, HasSubstr("wrong type"));
}

TEST(UpgradeRecord, AClaimDatedInTheFutureIsJudgedByItsLeaseFromNow) {
  const std::string here = current_holder(0).host;
  // A clock a little ahead elsewhere: still a live claim.
  EXPECT_TRUE(holder_alive({"x", "elsewhere", 1, 1000 + kLeaseSeconds - 1}, here, 1000));
  // Dated further ahead than a lease: not trusted until then, judged dead now.
  EXPECT_FALSE(holder_alive({"x", "elsewhere", 1, 1000 + kLeaseSeconds}, here, 1000));
  EXPECT_FALSE(holder_alive({"x", "elsewhere", 1, 4102444800}, here, 1000));  // 2100-01-01
}

TEST(UpgradeRecord, InstalledRevisionsAreOnlyEverTheTarget) {
  Record record;
  record.plan = small_plan();
  record.installed_revisions = {"1-30-9"};
  const auto document = json::parse(to_json(record).dump());
  EXPECT_EQ(document["installed_revisions"], json({"1-30-9"}));
  auto back = record_from_json(document);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_TRUE(back->installed("1-30-9"));
  EXPECT_FALSE(back->installed("default"));

  auto edited = document;
  edited["installed_revisions"] = {"1-30-9", "default"};  // would make a rollback remove default
  EXPECT_THAT(record_from_json(edited).error().message,
              HasSubstr("installed_revisions names revision \"default\", which is not the "
                        "upgrade's target revision \"1-30-9\""));
  edited["installed_revisions"] = "1-30-9";
  EXPECT_THAT(record_from_json(edited).error().message,
              HasSubstr("installed_revisions is not a list of revision names"));
  edited["installed_revisions"] = {1};
  EXPECT_FALSE(record_from_json(edited).ok());
  edited.erase("installed_revisions");  // a record of an older getmesh: nothing known installed
  back = record_from_json(edited);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_FALSE(back->installed("1-30-9"));
}

json proxy_pod(const std::string& name, const std::string& revision, const std::string& version,
               bool terminating = false) {
  json pod = {{"metadata",
               {{"name", name}, {"namespace", "shop"}, {"labels", {{"istio.io/rev", revision}}}}},
              {"spec",
               {{"containers",
                 {{{"name", "app"}, {"image", "nginx"}},
                  {{"name", "istio-proxy"}, {"image", "docker.io/istio/proxyv2:" + version}}}}}}};
  if (terminating) pod["metadata"]["deletionTimestamp"] = "2026-11-29T10:00:00Z";
  return pod;
}

TEST(UpgradeGates, ProxiesThatDidNotMove) {
  const Release target{"1-30-9", *DistributionName::parse("1.30.9-istio-v0")};
  const std::vector<json> pods{
      proxy_pod("a", "1-30-9", "1.30.9"),
      proxy_pod("b", "default", "1.30.8"),
      proxy_pod("c", "1-30-9", "1.30.8"),
      proxy_pod("d", "default", "1.30.8", true),
      proxy_pod("e", "canary", "1.29.0"),  // a third revision: not the move's business
      {{"metadata", {{"name", "plain"}, {"namespace", "shop"}}},
       {"spec", {{"containers", {{{"name", "app"}, {"image", "nginx"}}}}}}}};
  EXPECT_THAT(not_moved(pods, "default", target),
              ElementsAre("shop/b (revision default, 1.30.8-istio-v0)",
                          "shop/c (revision 1-30-9, 1.30.8-istio-v0)"));
  EXPECT_THAT(using_revision(pods, "default"), ElementsAre("shop/b", "shop/d"));
  // Moving back from 1-30-9 to default: the proxies still on 1-30-9 are pending.
  const Release source{"default", *DistributionName::parse("1.30.8-istio-v0")};
  EXPECT_THAT(not_moved(pods, "1-30-9", source),
              ElementsAre("shop/a (revision 1-30-9, 1.30.9-istio-v0)",
                          "shop/c (revision 1-30-9, 1.30.8-istio-v0)"));
}

TEST(UpgradeGates, DeploymentReadiness) {
  EXPECT_EQ(not_ready({{"spec", {{"replicas", 2}}},
                       {"status", {{"readyReplicas", 1}, {"updatedReplicas", 2}}}}),
            "1 of 2 replicas ready");
  EXPECT_EQ(not_ready({{"spec", {{"replicas", 2}}},
                       {"status", {{"readyReplicas", 2}, {"updatedReplicas", 2}}}}),
            std::nullopt);
  EXPECT_EQ(not_ready({{"metadata", {{"generation", 3}}},
                       {"spec", {{"replicas", 1}}},
                       {"status", {{"readyReplicas", 1}, {"observedGeneration", 2}}}}),
            "its new specification is not rolled out yet");
  EXPECT_EQ(not_ready({{"spec", json::object()}}), "0 of 1 replicas ready");
}

TEST(UpgradeTime, Rfc3339) {
  EXPECT_EQ(format_rfc3339(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(format_rfc3339(1764410400), "2025-11-29T10:00:00Z");
  EXPECT_EQ(format_rfc3339(-1), "1969-12-31T23:59:59Z");
}

}  // namespace
}  // namespace getmesh::upgrade
