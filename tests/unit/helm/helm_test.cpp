#include "support/temp_dir.hpp"

#include <getmesh/core/sha256.hpp>
#include <getmesh/download/chart.hpp>
#include <getmesh/helm/binary.hpp>
#include <getmesh/helm/chart_index.hpp>
#include <getmesh/helm/commands.hpp>
#include <getmesh/helm/rendered.hpp>

#include <gtest/gtest.h>

#include <filesystem>

namespace getmesh::helm {
namespace {

using testing::TempDir;

std::string digest_of(const std::string& bytes) {
  Sha256 hasher;
  hasher.update(bytes);
  return hasher.finish();
}

std::string index_yaml(const std::string& digest, const std::string& url) {
  return "apiVersion: v1\nentries:\n  istiod:\n  - name: istiod\n    version: 1.31.4\n"
         "    digest: " +
         digest + "\n    urls:\n    - " + url +
         "\n  - name: istiod\n    version: 1.31.3\n    urls:\n    - istiod-1.31.3.tgz\n"
         "generated: \"2026-11-01T00:00:00Z\"\n";
}

TEST(HelmVersion, ReadsHelmsVersionTemplate) {
  EXPECT_EQ(parse_version("v3.14.2")->to_string(), "3.14.2");
  EXPECT_EQ(parse_version("v3.16.0-rc.1+gabc1234\n")->to_string(), "3.16.0");
  EXPECT_EQ(parse_version("v2.17.0")->major, 2);
  EXPECT_FALSE(parse_version("Error: unknown flag: --template").has_value());
  EXPECT_FALSE(parse_version("").has_value());
}

TEST(HelmBinary, ChecksTheMajorVersion) {
  TempDir dir;
  const auto write_helm = [&](const std::string& name, const std::string& answer) {
    const auto path = dir.write(name, "#!/bin/sh\necho '" + answer + "'\n");
    std::filesystem::permissions(path, std::filesystem::perms(0755));
    return path.string();
  };
  const auto three = check(write_helm("helm3", "v3.15.4"), {}, std::chrono::seconds(10));
  ASSERT_TRUE(three.ok()) << three.error().message;
  EXPECT_EQ(three->version.to_string(), "3.15.4");
  const auto two = check(write_helm("helm2", "v2.17.0"), {}, std::chrono::seconds(10));
  ASSERT_FALSE(two.ok());
  EXPECT_NE(two.error().message.find("is Helm 2.17.0; getmesh drives Helm 3.x only"),
            std::string::npos)
      << two.error().message;
  const auto silent = check(write_helm("mute", "nothing"), {}, std::chrono::seconds(10));
  ASSERT_FALSE(silent.ok());
  EXPECT_NE(silent.error().message.find("did not say which Helm it is"), std::string::npos);
}

TEST(HelmBinary, LocatesFlagThenSettingThenPath) {
  TempDir dir;
  const auto on_path = dir.write("bin/helm", "#!/bin/sh\n");
  std::filesystem::permissions(on_path, std::filesystem::perms(0755));
  const auto chosen = dir.write("chosen/helm", "#!/bin/sh\n");
  std::filesystem::permissions(chosen, std::filesystem::perms(0755));
  const auto path_variable = (dir.path() / "bin").string();
  EXPECT_EQ(*locate("", "", path_variable), on_path.string());
  EXPECT_EQ(*locate("", chosen.string(), path_variable), chosen.string());
  EXPECT_EQ(*locate(chosen.string(), "/nowhere/helm", path_variable), chosen.string());
  const auto missing = locate("", "", (dir.path() / "empty").string());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message,
            "this control plane is installed with Helm, and no helm is on PATH");
  EXPECT_NE(missing.error().hint.find("--helm PATH"), std::string::npos);
  const auto bad = locate("/nowhere/helm", "", path_variable);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message, "--helm names \"/nowhere/helm\", which is no executable file");
}

TEST(ChartIndex, FindsTheExactVersionWithItsDigest) {
  const auto digest = digest_of("chart");
  auto entries = parse_index(index_yaml(digest, "https://charts.example/istiod-1.31.4.tgz"), "i");
  ASSERT_TRUE(entries.ok()) << entries.error().message;
  ASSERT_EQ(entries->size(), 2u);
  auto found = find_chart(*entries, "istiod", "1.31.4", "i");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->digest, digest);
  EXPECT_EQ(archive_url("https://mirror.example/charts/", *found),
            "https://charts.example/istiod-1.31.4.tgz");
  const auto missing = find_chart(*entries, "istiod", "1.31", "i");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message, "the chart repository i has no chart istiod at version 1.31");
  const auto unsigned_entry = find_chart(*entries, "istiod", "1.31.3", "i");
  ASSERT_FALSE(unsigned_entry.ok());
  EXPECT_NE(unsigned_entry.error().message.find("without a SHA-256 digest"), std::string::npos);
  EXPECT_FALSE(parse_index("apiVersion: v1\n", "i").ok());
  EXPECT_FALSE(parse_index("entries: [", "i").ok());
}

TEST(ChartIndex, ResolvesRelativeUrlsAgainstTheRepository) {
  const ChartEntry entry{"base", "1.31.4", std::string(64, 'a'), {"base-1.31.4.tgz"}};
  EXPECT_EQ(archive_url("https://mirror.example/istio/charts/", entry),
            "https://mirror.example/istio/charts/base-1.31.4.tgz");
  EXPECT_EQ(index_url("file:///srv/charts"), "file:///srv/charts/index.yaml");
}

TEST(ChartFetch, KeepsOnlyArchivesMatchingTheIndexDigest) {
  TempDir repository;
  TempDir work;
  repository.write("istiod-1.31.4.tgz", "the chart");
  repository.write("index.yaml", index_yaml(digest_of("the chart"), "istiod-1.31.4.tgz"));
  const net::Client http(net::Settings{});
  const auto url = "file://" + repository.path().string();
  auto index = download::read_chart_index(http, url);
  ASSERT_TRUE(index.ok()) << index.error().message;
  auto fetched = download::fetch_chart(http, *index, "istiod", "1.31.4", work.path() / "charts");
  ASSERT_TRUE(fetched.ok()) << fetched.error().message;
  EXPECT_EQ(*fetched, work.path() / "charts" / "istiod-1.31.4.tgz");

  repository.write("istiod-1.31.4.tgz", "the chart, changed");
  std::filesystem::remove(*fetched);
  auto tampered = download::fetch_chart(http, *index, "istiod", "1.31.4", work.path() / "charts");
  ASSERT_FALSE(tampered.ok());
  EXPECT_NE(tampered.error().message.find("but the repository index " + url + "/index.yaml says " +
                                          digest_of("the chart")),
            std::string::npos)
      << tampered.error().message;
  EXPECT_FALSE(std::filesystem::exists(*fetched)) << "a tampered chart is never stored";

  const auto unreachable = download::read_chart_index(http, "file:///nowhere/charts");
  ASSERT_FALSE(unreachable.ok());
  EXPECT_NE(unreachable.error().message.find("for its index file:///nowhere/charts/index.yaml"),
            std::string::npos)
      << unreachable.error().message;
}

TEST(HelmCommands, AlwaysNameTheResolvedCluster) {
  const commands::Cluster cluster{"/home/u/kc", "prod"};
  EXPECT_EQ(
      commands::shown(commands::upgrade(cluster, "istiod-1-31-4", "istiod-1.31.4.tgz",
                                        "istio-system", "values.json", {"revision=1-31-4"}, true)),
      "helm upgrade istiod-1-31-4 istiod-1.31.4.tgz -n istio-system --install -f "
      "values.json --set revision=1-31-4 --kubeconfig /home/u/kc --kube-context prod");
  EXPECT_EQ(commands::shown(commands::uninstall({"", "prod"}, "istiod", "istio-system")),
            "helm uninstall istiod -n istio-system --kube-context prod");
  EXPECT_EQ(commands::shown(commands::get_values(cluster, "istio-base", "istio-system")),
            "helm get values istio-base -n istio-system -o json --kubeconfig /home/u/kc "
            "--kube-context prod");
}

TEST(HelmRendered, TypesPlainScalarsAndKeepsQuotedOnes) {
  const auto objects = parse_rendered(
      "---\n# Source: istiod/templates/revision-tags-mwc.yaml\napiVersion: "
      "admissionregistration.k8s.io/v1\nkind: MutatingWebhookConfiguration\nmetadata:\n  name: "
      "istio-revision-tag-prod\n  labels:\n    istio.io/rev: \"1-31-4\"\n    "
      "istio.io/tag: prod\nwebhooks:\n- name: rev.namespace.sidecar-injector.istio.io\n  "
      "timeoutSeconds: 10\n  sideEffects: None\n  admissionReviewVersions: [\"v1\"]\n  "
      "reinvocationPolicy: ~\n  enabled: true\n  ratio: 0.5\n---\n# an empty document\n");
  ASSERT_TRUE(objects.ok()) << objects.error().message;
  ASSERT_EQ(objects->size(), 1u);
  const auto& webhook = (*objects)[0]["webhooks"][0];
  EXPECT_EQ((*objects)[0]["metadata"]["labels"]["istio.io/rev"], "1-31-4");
  EXPECT_EQ(webhook["timeoutSeconds"], 10);
  EXPECT_EQ(webhook["sideEffects"], "None");
  EXPECT_TRUE(webhook["reinvocationPolicy"].is_null());
  EXPECT_EQ(webhook["enabled"], true);
  EXPECT_DOUBLE_EQ(webhook["ratio"].get<double>(), 0.5);
  EXPECT_FALSE(parse_rendered("a: [").ok());
}

}  // namespace
}  // namespace getmesh::helm
