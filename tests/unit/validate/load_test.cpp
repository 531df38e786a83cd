#include "support/temp_dir.hpp"

#include <getmesh/validate/analyze.hpp>
#include <getmesh/validate/load.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sys/stat.h>

namespace getmesh::validate {
namespace {

Loaded load(std::string_view text) {
  Loaded loaded;
  load_text(text, "in.yaml", LoadOptions{}, loaded);
  return loaded;
}

constexpr std::string_view kVirtualService =
    "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: vs, namespace: "
    "ns}\n"
    "spec: {hosts: [a]}\n";

TEST(ValidateLoad, ReadsEveryDocumentWithItsLine) {
  const auto loaded = load(std::string("# comment\n---\n") + std::string(kVirtualService) +
                           "---\n" + std::string(kVirtualService));
  ASSERT_EQ(loaded.resources.size(), 2U);
  EXPECT_TRUE(loaded.problems.empty());
  EXPECT_EQ(loaded.resources[0].origin.line, 3);
  EXPECT_EQ(loaded.resources[1].origin.line, 8);
  EXPECT_EQ(loaded.resources[0].origin.file, "in.yaml");
  EXPECT_EQ(loaded.resources[0].namespace_, "ns");
}

TEST(ValidateLoad, EmptyDocumentsLoseNothing) {
  // Upstream's own test files hold "---" lines back to back; the document after them counts.
  const auto loaded = load(std::string("---\n---\n") + std::string(kVirtualService) +
                           "---\n---\n# only a comment\n---\n" + std::string(kVirtualService));
  ASSERT_EQ(loaded.resources.size(), 2U);
  EXPECT_TRUE(loaded.problems.empty());
  EXPECT_EQ(loaded.resources[0].origin.line, 3);
  EXPECT_EQ(loaded.resources[1].origin.line, 11);
}

TEST(ValidateLoad, ABrokenDocumentLosesNothingElse) {
  std::string text(kVirtualService);
  text.append("---\nkey: [unclosed\n---\n").append(kVirtualService);
  const auto loaded = load(text);
  EXPECT_EQ(loaded.resources.size(), 2U);
  ASSERT_EQ(loaded.problems.size(), 1U);
  EXPECT_EQ(loaded.problems[0].file, "in.yaml");
  EXPECT_GE(loaded.problems[0].line, 6);
  EXPECT_NE(loaded.problems[0].message.find("invalid YAML"), std::string::npos)
      << loaded.problems[0].message;
}

TEST(ValidateLoad, ExpandsListsAndDefaultsTheNamespace) {
  const auto loaded = load(
      "apiVersion: v1\nkind: List\nitems:\n- apiVersion: networking.istio.io/v1beta1\n  kind: "
      "Gateway\n"
      "  metadata: {name: g}\n  spec: {}\n- apiVersion: v1\n  kind: Service\n  metadata: {name: s, "
      "namespace: x}\n");
  ASSERT_EQ(loaded.resources.size(), 2U);
  EXPECT_EQ(loaded.resources[0].kind, Kind::kGateway);
  EXPECT_EQ(loaded.resources[0].namespace_, "default");
  EXPECT_EQ(loaded.resources[0].origin.line, 4);
  EXPECT_EQ(loaded.notes.size(), 1U);
}

TEST(ValidateLoad, ReportsObjectsWithoutKindOrName) {
  const auto loaded = load(
      "apiVersion: v1\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Service\nspec: {}\n---\n- "
      "a\n- b\n");
  EXPECT_TRUE(loaded.resources.empty());
  ASSERT_EQ(loaded.problems.size(), 3U);
  EXPECT_EQ(loaded.problems[0].line, 1);
  EXPECT_NE(loaded.problems[0].message.find("no apiVersion or no kind"), std::string::npos);
  EXPECT_EQ(loaded.problems[1].line, 4);
  EXPECT_NE(loaded.problems[1].message.find("metadata.name"), std::string::npos);
  EXPECT_NE(loaded.problems[2].message.find("not a Kubernetes object"), std::string::npos);
}

TEST(ValidateLoad, CountsUnknownKindsAndRejectsUnservedVersions) {
  const auto loaded = load(
      "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: a}\n---\n"
      "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: b}\n---\n"
      "apiVersion: networking.istio.io/v2\nkind: VirtualService\nmetadata: {name: c}\n");
  EXPECT_TRUE(loaded.resources.empty());
  EXPECT_EQ(loaded.skipped.at("apps/v1 StatefulSet"), 2);
  ASSERT_EQ(loaded.problems.size(), 1U);
  EXPECT_NE(loaded.problems[0].message.find("networking.istio.io/v1"), std::string::npos)
      << loaded.problems[0].message;
}

TEST(ValidateLoad, GuardsAgainstDeepNestingAndAliasBombs) {
  std::string deep = "apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: ";
  for (int i = 0; i < 5000; ++i) deep += "[";
  const auto nested = load(deep);
  EXPECT_TRUE(nested.resources.empty());
  ASSERT_EQ(nested.problems.size(), 1U);
  // Whichever depth limit fires (ours or yaml-cpp's), the message says what is wrong.
  EXPECT_NE(nested.problems[0].message.find("nested deeper than"), std::string::npos)
      << nested.problems[0].message;

  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  for (char c = 'b'; c <= 'k'; ++c) {
    const char previous = static_cast<char>(c - 1);
    bomb.append(1, c).append(": &").append(1, c).append(" [");
    for (int i = 0; i < 5; ++i) bomb.append(i == 0 ? "*" : ", *").append(1, previous);
    bomb.append("]\n");
  }
  const auto expanded = load(bomb);
  ASSERT_EQ(expanded.problems.size(), 1U);
  EXPECT_NE(expanded.problems[0].message.find("aliases"), std::string::npos)
      << expanded.problems[0].message;
}

TEST(ValidateLoad, SurvivesBinaryGarbage) {
  std::string garbage;
  for (int i = 0; i < 4096; ++i) garbage.push_back(static_cast<char>((i * 7919) % 256));
  const auto loaded = load(garbage);
  EXPECT_TRUE(loaded.resources.empty());
  EXPECT_FALSE(loaded.problems.empty());
}

TEST(ValidateLoad, WalksFoldersInOrderAndReportsUnreadablePaths) {
  getmesh::testing::TempDir dir;
  dir.write("b/two.yml", std::string(kVirtualService));
  dir.write("a/one.yaml", std::string(kVirtualService));
  dir.write("a/notes.txt", "not yaml");
  dir.write("c.yaml", std::string(kVirtualService));
  const auto locked = dir.write("locked/x.yaml", std::string(kVirtualService));
  const auto loaded =
      load_paths({dir.path().string(), (dir.path() / "missing.yaml").string()}, LoadOptions{});
  ASSERT_GE(loaded.files.size(), 3U);
  EXPECT_EQ(loaded.files[0], (dir.path() / "a/one.yaml").string());
  EXPECT_EQ(loaded.files[1], (dir.path() / "b/two.yml").string());
  EXPECT_EQ(loaded.files[2], (dir.path() / "c.yaml").string());
  ASSERT_FALSE(loaded.problems.empty());
  EXPECT_EQ(loaded.problems.back().file, (dir.path() / "missing.yaml").string());
  if (::geteuid() != 0) {  // root reads everything
    ::chmod(locked.c_str(), 0);
    const auto denied = load_paths({locked.string()}, LoadOptions{});
    ASSERT_EQ(denied.problems.size(), 1U);
  }
}

TEST(ValidateLoad, ReadsStandardInputForDash) {
  LoadOptions options;
  options.read_stdin = [] { return Result<std::string>(std::string(kVirtualService)); };
  const auto loaded = load_paths({"-"}, options);
  ASSERT_EQ(loaded.resources.size(), 1U);
  EXPECT_EQ(loaded.resources[0].origin.file, "<stdin>");
}

// /dev/zero (like a FIFO or /proc/self/pagemap) claims a size of 0 and never ends: the limit must
// hold while reading.
TEST(ValidateLoad, TheSizeLimitHoldsForFilesThatClaimToBeSmall) {
  getmesh::testing::TempDir dir;
  const auto link = dir.path() / "endless.yaml";
  std::filesystem::create_symlink("/dev/zero", link);
  const auto loaded = load_paths({link.string()}, LoadOptions{});
  ASSERT_EQ(loaded.problems.size(), 1U);
  EXPECT_EQ(loaded.problems[0].file, link.string());
  EXPECT_NE(loaded.problems[0].message.find("larger than 64 MiB"), std::string::npos)
      << loaded.problems[0].message;
  EXPECT_TRUE(loaded.resources.empty());
}

TEST(ValidateLoad, StandardInputHasTheSameLimit) {
  LoadOptions options;
  options.read_stdin = [] { return Result<std::string>(std::string(kMaxFileBytes + 1, ' ')); };
  const auto loaded = load_paths({"-"}, options);
  ASSERT_EQ(loaded.problems.size(), 1U);
  EXPECT_EQ(loaded.problems[0].file, "<stdin>");
  EXPECT_NE(loaded.problems[0].message.find("larger than 64 MiB"), std::string::npos);
}

TEST(ValidateLoad, HandlesATenMegabyteFile) {
  std::string big;
  while (big.size() < 10U * 1024U * 1024U) big.append(kVirtualService).append("---\n");
  const auto loaded = load(big);
  EXPECT_TRUE(loaded.problems.empty());
  EXPECT_GT(loaded.resources.size(), 50000U);
}

}  // namespace
}  // namespace getmesh::validate

namespace getmesh::validate {
namespace {

// Inputs the fuzzer (fuzz/run.sh) found crashing or hanging, kept as regressions.
TEST(ValidateLoad, FuzzerFindingsStayFixed) {
  const auto folder = std::filesystem::path(GETMESH_SOURCE_DIR) / "tests/data/validate-fuzz";
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    SCOPED_TRACE(entry.path().string());
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    Loaded loaded;
    load_text(text, entry.path().string(), LoadOptions{}, loaded);
    (void)analyze(loaded.resources, AnalyzeOptions{});
  }
}

}  // namespace
}  // namespace getmesh::validate
