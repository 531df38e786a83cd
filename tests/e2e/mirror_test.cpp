// `getmesh mirror` end to end: an "upstream" nginx serving archives laid out like Istio's GitHub
// releases (istioctl-<version>-<platform>.tar.gz with .sha256 beside), the mirror built from it,
// then served by a second nginx to a getmesh that never sees upstream.
#include "support/mirror.hpp"

#include "support/fake_home.hpp"
#include "support/nginx.hpp"

#include <getmesh/core/fs.hpp>
#include <getmesh/core/platform.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include <set>
#include <sys/stat.h>

namespace getmesh::testing::mirror_e2e {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

struct Release {
  std::string version;
  std::string platform;  // Istio's suffix: linux-amd64, linux-arm64, osx-arm64
  std::size_t padding = 20000;
  bool tampered = false;  // bytes changed after the .sha256 was written
};

class MirrorTest : public ::testing::Test {
 protected:
  // Writes the upstream archives and a manifest whose template points at `base` (nginx's URL).
  void publish(const std::vector<Release>& releases) {
    std::set<std::string> versions;
    for (const auto& release : releases) {
      const auto file = "istioctl-" + release.version + "-" + release.platform + ".tar.gz";
      auto bytes = make_tar_gz({ArchiveMember::file("istioctl", fake_istioctl(release.version)),
                                ArchiveMember::file("padding", random_bytes(release.padding))});
      const auto directory = upstream_root() / "istio/istio/releases/download" / release.version;
      fs::create_directories(directory);
      ASSERT_TRUE(write_file_atomic(directory / (file + ".sha256"),
                                    sha256_hex(bytes) + "  " + file + "\n"));
      if (release.tampered)
        bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 1);
      ASSERT_TRUE(write_file_atomic(directory / file, bytes));
      archives_[release.version + "/" + release.platform] = bytes;
      versions.insert(release.version);
    }
    for (const auto& version : versions) names_.push_back(version + "-istio-v0");
  }

  // The source manifest: the distributions, lifecycle, and the upstream URL template under `base`.
  fs::path write_manifest(const std::string& base) {
    auto manifest = nlohmann::json::parse(make_manifest(names_, {{"1.29", "2026-10-01"}}));
    manifest["download_templates"] = {
        {"istio",
         base + "istio/istio/releases/download/{version}/istioctl-{version}-{platform}.tar.gz"}};
    const auto path = fake.root() / "upstream-manifest.json";
    EXPECT_TRUE(write_file_atomic(path, manifest.dump(2)));
    return path;
  }

  RunResult create(const std::vector<std::string>& extra, const fs::path& manifest,
                   std::chrono::milliseconds timeout = std::chrono::milliseconds(60000)) {
    std::vector<std::string> args = {"--manifest", manifest.string(), "mirror", "create",
                                     mirror_dir().string()};
    args.insert(args.end(), extra.begin(), extra.end());
    auto options = fake.options();
    options.timeout = timeout;
    return run_getmesh(args, options);
  }

  [[nodiscard]] fs::path upstream_root() const { return fake.root() / "upstream"; }
  [[nodiscard]] fs::path mirror_dir() const { return fake.root() / "mirror"; }
  [[nodiscard]] std::string archive(const std::string& version, const std::string& platform) const {
    return archives_.at(version + "/" + platform);
  }
  [[nodiscard]] nlohmann::json mirror_manifest() const {
    return nlohmann::json::parse(*read_file(mirror_dir() / "manifest.json"));
  }
  // The files of the mirror, without its .partial/ work area.
  [[nodiscard]] std::set<std::string> mirror_files() const {
    std::set<std::string> files;
    for (const auto& entry : fs::directory_iterator(mirror_dir())) {
      if (entry.is_regular_file()) files.insert(entry.path().filename().string());
    }
    return files;
  }

  static std::string random_bytes(std::size_t size) {
    std::string bytes(size, '\0');
    std::uint32_t state = 2463534242u;
    for (auto& byte : bytes) {
      state ^= state << 13;
      state ^= state >> 17;
      state ^= state << 5;
      byte = static_cast<char>(state);
    }
    return bytes;
  }

  FakeHome fake;
  std::vector<std::string> names_;
  std::map<std::string, std::string> archives_;
};

TEST_F(MirrorTest, MirrorsVerifiedArchivesAndKeepsATamperedOneOut) {
  if (!Nginx::available()) GTEST_SKIP() << Nginx::kMissing;
  publish({{"1.29.8", "linux-amd64"},
           {"1.29.8", "linux-arm64"},
           {"1.30.5", "linux-amd64"},
           {"1.30.5", "linux-arm64", 20000, true}});
  Nginx upstream(upstream_root());
  const auto manifest = write_manifest(upstream.url());

  const auto result =
      create({"--version", "1.29,1.30.5", "--platform", "linux/amd64,linux-arm64"}, manifest);
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_THAT(result.err,
              HasSubstr("error: not mirrored: istio-1.30.5-istio-v0-linux-arm64.tar.gz: checksum "
                        "mismatch"));
  EXPECT_THAT(result.err, HasSubstr("1 of 4 archives could not be mirrored"));
  EXPECT_THAT(result.out, HasSubstr("downloaded istio-1.29.8-istio-v0-linux-amd64.tar.gz  sha256 " +
                                    sha256_hex(archive("1.29.8", "linux-amd64"))));

  // The tampered archive is under no name at all, partial or final.
  const std::set<std::string> expected = {"istio-1.29.8-istio-v0-linux-amd64.tar.gz",
                                          "istio-1.29.8-istio-v0-linux-amd64.tar.gz.sha256",
                                          "istio-1.29.8-istio-v0-linux-arm64.tar.gz",
                                          "istio-1.29.8-istio-v0-linux-arm64.tar.gz.sha256",
                                          "istio-1.30.5-istio-v0-linux-amd64.tar.gz",
                                          "istio-1.30.5-istio-v0-linux-amd64.tar.gz.sha256",
                                          "manifest.json"};
  EXPECT_EQ(mirror_files(), expected);
  EXPECT_FALSE(
      fs::exists(mirror_dir() / ".partial/istio-1.30.5-istio-v0-linux-arm64.tar.gz.partial"));
  for (const auto& [version, platform] : std::vector<std::pair<std::string, std::string>>{
           {"1.29.8", "linux-amd64"}, {"1.29.8", "linux-arm64"}, {"1.30.5", "linux-amd64"}}) {
    const auto file = "istio-" + version + "-istio-v0-" + platform + ".tar.gz";
    EXPECT_EQ(*read_file(mirror_dir() / file), archive(version, platform));
    EXPECT_EQ(*read_file(mirror_dir() / (file + ".sha256")),
              sha256_hex(archive(version, platform)) + "  " + file + "\n");
  }

  // manifest.json: what the mirror holds, sha256 per platform, URLs relative to the mirror.
  const auto written = mirror_manifest();
  ASSERT_EQ(written["istio_distributions"].size(), 2u);
  const auto& newest = written["istio_distributions"][0];
  EXPECT_EQ(newest["version"], "1.30.5");
  EXPECT_EQ(newest["downloads"].size(), 1u);
  EXPECT_EQ(newest["downloads"]["linux-amd64"]["url"], "istio-1.30.5-istio-v0-linux-amd64.tar.gz");
  EXPECT_EQ(newest["downloads"]["linux-amd64"]["sha256"],
            sha256_hex(archive("1.30.5", "linux-amd64")));
  const auto& older = written["istio_distributions"][1];
  EXPECT_EQ(older["version"], "1.29.8");
  EXPECT_EQ(older["k8s_versions"], nlohmann::json({"1.30", "1.31"}));
  EXPECT_EQ(older["downloads"]["linux-arm64"]["sha256"],
            sha256_hex(archive("1.29.8", "linux-arm64")));
  EXPECT_EQ(written["lifecycle"]["1.29"]["community_end_of_life"], "2026-10-01");
  EXPECT_FALSE(written.contains("download_templates") && !written["download_templates"].empty());

  const auto verified = run_getmesh({"mirror", "verify", mirror_dir().string()}, fake.options());
  EXPECT_EQ(verified.exit_code, 0) << verified.err;
  EXPECT_EQ(verified.out,
            "ok        istio-1.29.8-istio-v0-linux-amd64.tar.gz\n"
            "ok        istio-1.29.8-istio-v0-linux-arm64.tar.gz\n"
            "ok        istio-1.30.5-istio-v0-linux-amd64.tar.gz\n");
}

// An archive upstream does not have (404, and no .sha256 either) is reported as not found, not as
// an archive without checksum; with nothing mirrored, no "others" are said to be there.
TEST_F(MirrorTest, AMissingArchiveIsNotFound) {
  if (!Nginx::available()) GTEST_SKIP() << Nginx::kMissing;
  publish({{"1.29.8", "linux-amd64"}});
  const auto directory = upstream_root() / "istio/istio/releases/download/1.29.8";
  fs::remove(directory / "istioctl-1.29.8-linux-amd64.tar.gz");
  fs::remove(directory / "istioctl-1.29.8-linux-amd64.tar.gz.sha256");
  Nginx upstream(upstream_root());
  const auto manifest = write_manifest(upstream.url());
  const auto result = create({"--version", "1.29", "--platform", "linux/amd64"}, manifest);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err,
              HasSubstr("error: not mirrored: istio-1.29.8-istio-v0-linux-amd64.tar.gz: cannot "
                        "download " +
                        upstream.url() +
                        "istio/istio/releases/download/1.29.8/istioctl-1.29.8-linux-amd64.tar.gz: "
                        "HTTP 404 Not Found\nhint: check that this distribution is published"));
  EXPECT_THAT(result.err, Not(HasSubstr("a mirror holds only verified archives")));
  EXPECT_THAT(result.err, HasSubstr("error: 1 of 1 archive could not be mirrored (see above)\n"));
  EXPECT_THAT(result.err, Not(HasSubstr("the others are in")));
}

TEST_F(MirrorTest, ReRunsDownloadNothingPresentAndAddWhatIsMissing) {
  if (!Nginx::available()) GTEST_SKIP() << Nginx::kMissing;
  publish({{"1.29.8", "linux-amd64"}, {"1.30.5", "linux-amd64"}});
  Nginx upstream(upstream_root());
  const auto manifest = write_manifest(upstream.url());
  auto result = create({"--version", "1.29.8", "--platform", "linux/amd64"}, manifest);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto first_manifest = *read_file(mirror_dir() / "manifest.json");

  result = create({"--version", "1.29.8", "--platform", "linux/amd64"}, manifest);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, StartsWith("present    istio-1.29.8-istio-v0-linux-amd64.tar.gz"));
  EXPECT_EQ(*read_file(mirror_dir() / "manifest.json"), first_manifest);
  EXPECT_EQ(upstream.requests("istioctl-1.29.8-linux-amd64.tar.gz").size(), 1u);

  result = create({"--version", "1.29.8,1.30.5", "--platform", "linux/amd64"}, manifest);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("present    istio-1.29.8-istio-v0-linux-amd64.tar.gz"));
  EXPECT_THAT(result.out, HasSubstr("downloaded istio-1.30.5-istio-v0-linux-amd64.tar.gz"));
  EXPECT_EQ(upstream.requests("istioctl-1.29.8-linux-amd64.tar.gz").size(), 1u);
  EXPECT_EQ(mirror_manifest()["istio_distributions"].size(), 2u);

  // A later run for one version keeps what earlier runs mirrored in manifest.json.
  result = create({"--version", "1.30.5", "--platform", "linux/amd64"}, manifest);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(mirror_manifest()["istio_distributions"].size(), 2u);
}

TEST_F(MirrorTest, AKilledRunLeavesNoArchiveUnderItsNameAndTheNextOneResumes) {
  if (!Nginx::available()) GTEST_SKIP() << Nginx::kMissing;
  const auto host = Platform::host().archive_suffix();
  publish({{"1.29.8", host, 3u << 20}});
  Nginx upstream(upstream_root(), 1u << 20);
  const auto manifest = write_manifest(upstream.slow_url());
  EXPECT_THROW(create({"--version", "1.29.8"}, manifest, std::chrono::milliseconds(1500)),
               std::runtime_error);  // run_getmesh SIGKILLs it at the timeout

  const auto file = "istio-1.29.8-istio-v0-" + host + ".tar.gz";
  EXPECT_FALSE(fs::exists(mirror_dir() / file));
  const auto partial = mirror_dir() / ".partial" / (file + ".partial");
  ASSERT_TRUE(fs::exists(partial));
  EXPECT_GT(fs::file_size(partial), 0u);
  EXPECT_LT(fs::file_size(partial), archive("1.29.8", host).size());

  const auto result = create({"--version", "1.29.8"}, manifest);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(*read_file(mirror_dir() / file), archive("1.29.8", host));
  EXPECT_FALSE(fs::exists(partial));
  bool resumed = false;
  for (const auto& line : upstream.requests("istioctl-1.29.8-" + host + ".tar.gz")) {
    if (line.find(" 206 range=\"bytes=") != std::string::npos) resumed = true;
  }
  EXPECT_TRUE(resumed) << "no Range request in the access log";
}

TEST_F(MirrorTest, VerifyListsEveryMismatch) {
  if (!Nginx::available()) GTEST_SKIP() << Nginx::kMissing;
  publish({{"1.29.8", "linux-amd64"}, {"1.29.8", "linux-arm64"}, {"1.30.5", "linux-amd64"}});
  Nginx upstream(upstream_root());
  ASSERT_EQ(create({"--version", "1.29.8,1.30.5", "--platform", "linux/amd64,linux/arm64"},
                   write_manifest(upstream.url()))
                .exit_code,
            1);  // 1.30.5 has no linux-arm64 archive upstream

  const auto flipped = mirror_dir() / "istio-1.29.8-istio-v0-linux-amd64.tar.gz";
  auto bytes = *read_file(flipped);
  bytes[100] = static_cast<char>(bytes[100] ^ 0x20);
  ASSERT_TRUE(write_file_atomic(flipped, bytes));
  fs::remove(mirror_dir() / "istio-1.29.8-istio-v0-linux-arm64.tar.gz.sha256");
  ASSERT_TRUE(write_file_atomic(mirror_dir() / "istio-9.9.9-istio-v0-linux-amd64.tar.gz", "x"));

  const auto result = run_getmesh({"mirror", "verify", mirror_dir().string()}, fake.options());
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.out,
              HasSubstr("MISMATCH  istio-1.29.8-istio-v0-linux-amd64.tar.gz: sha256 is " +
                        sha256_hex(bytes) + ", manifest.json says " +
                        sha256_hex(archive("1.29.8", "linux-amd64"))));
  EXPECT_THAT(result.out, HasSubstr("MISMATCH  istio-1.29.8-istio-v0-linux-arm64.tar.gz: "
                                    "istio-1.29.8-istio-v0-linux-arm64.tar.gz.sha256 is missing"));
  EXPECT_THAT(result.out, HasSubstr("ok        istio-1.30.5-istio-v0-linux-amd64.tar.gz"));
  EXPECT_THAT(result.out, HasSubstr("MISMATCH  istio-9.9.9-istio-v0-linux-amd64.tar.gz: not listed "
                                    "in manifest.json"));
  EXPECT_THAT(result.err, HasSubstr("error: 3 of 4 archives in"));

  // create repairs what verify found: the flipped archive is downloaded again.
  const auto repaired = create({"--version", "1.29.8", "--platform", "linux/amd64,linux/arm64"},
                               write_manifest(upstream.url()));
  EXPECT_EQ(repaired.exit_code, 0) << repaired.err;
  EXPECT_THAT(repaired.out, HasSubstr("downloaded istio-1.29.8-istio-v0-linux-amd64.tar.gz"));
  EXPECT_EQ(*read_file(flipped), archive("1.29.8", "linux-amd64"));
}

// Issue 20: a mirror's manifest.json or .sha256 that was a FIFO hung mirror verify and create; one
// linked to /dev/zero was read until memory ran out.
TEST_F(MirrorTest, AFifoOrAnEndlessFileInTheMirrorIsRefusedWithoutHanging) {
  publish({{"1.29.8", "linux-amd64"}});
  const auto manifest = write_manifest("file://" + upstream_root().string() + "/");
  ASSERT_EQ(create({"--version", "1.29.8", "--platform", "linux/amd64"}, manifest).exit_code, 0);
  auto bounded = fake.options();
  bounded.timeout = std::chrono::milliseconds(20000);  // run_getmesh throws on a hang

  const auto checksum = mirror_dir() / "istio-1.29.8-istio-v0-linux-amd64.tar.gz.sha256";
  fs::remove(checksum);
  fs::create_symlink("/dev/zero", checksum);
  auto result = run_getmesh({"mirror", "verify", mirror_dir().string()}, bounded);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.out,
              HasSubstr("MISMATCH  istio-1.29.8-istio-v0-linux-amd64.tar.gz: cannot "
                        "read " +
                        checksum.string() + ": it is not a regular file (a character device)"));
  // create puts a regular file in its place.
  ASSERT_EQ(create({"--version", "1.29.8", "--platform", "linux/amd64"}, manifest).exit_code, 0);
  EXPECT_TRUE(fs::is_regular_file(fs::symlink_status(checksum)));

  const auto listing = mirror_dir() / "manifest.json";
  fs::remove(listing);
  ASSERT_EQ(::mkfifo(listing.c_str(), 0644), 0);
  for (const auto& args : {std::vector<std::string>{"mirror", "verify", mirror_dir().string()},
                           std::vector<std::string>{"--manifest", manifest.string(), "mirror",
                                                    "create", mirror_dir().string(), "--version",
                                                    "1.29.8", "--platform", "linux/amd64"}}) {
    result = run_getmesh(args, bounded);
    EXPECT_EQ(result.exit_code, 1);
    EXPECT_THAT(result.err, HasSubstr("error: cannot read " + listing.string() +
                                      ": it is not a regular file (a FIFO)"));
  }
}

TEST_F(MirrorTest, VerifyOfADirectoryWithoutManifestFails) {
  fs::create_directories(mirror_dir());
  const auto result = run_getmesh({"mirror", "verify", mirror_dir().string()}, fake.options());
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("is not a mirror: it has no manifest.json"));
  EXPECT_EQ(result.out, "");
}

// Create on the connected side, serve the folder, fetch on a side that reaches only the mirror.
TEST_F(MirrorTest, AirGappedRoundTrip) {
  if (!Nginx::available()) GTEST_SKIP() << Nginx::kMissing;
  const auto host = Platform::host().archive_suffix();
  publish({{"1.29.8", host}, {"1.30.5", host}});
  {
    Nginx upstream(upstream_root());
    const auto result = create({"--flavor", "istio"}, write_manifest(upstream.url()));
    ASSERT_EQ(result.exit_code, 0) << result.err;
  }  // upstream is gone from here on

  Nginx served(mirror_dir());
  const auto base = served.url().substr(0, served.url().size() - 1);
  FakeHome disconnected;
  auto options = disconnected.options(
      {{"GETMESH_MIRROR", base}, {"GETMESH_MANIFEST", served.url("manifest.json")}});
  auto result = run_getmesh({"fetch", "--version", "1.29"}, options);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("1.29.8-istio-v0"));
  EXPECT_EQ(run_getmesh({"show"}, options).out, "1.29.8-istio-v0 (Active) (verified: manifest)\n");
  EXPECT_THAT(run_getmesh({"istioctl", "version"}, options).out, HasSubstr("1.29.8"));
  EXPECT_EQ(served.requests("istio-1.29.8-istio-v0-" + host + ".tar.gz").size(), 1u);

  // The mirror's manifest alone is enough: its URLs are relative to it.
  auto manifest_only = disconnected.options({{"GETMESH_MANIFEST", served.url("manifest.json")}});
  result = run_getmesh({"fetch", "--version", "1.30.5"}, manifest_only);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(served.requests("istio-1.30.5-istio-v0-" + host + ".tar.gz").size(), 1u);
  EXPECT_THAT(run_getmesh({"show"}, manifest_only).out,
              HasSubstr("1.30.5-istio-v0 (Active) (verified: manifest)"));

  // With --base-url the URLs are absolute, under it.
  Nginx upstream_again(upstream_root());
  ASSERT_EQ(
      create({"--flavor", "istio", "--base-url", base + "/"}, write_manifest(upstream_again.url()))
          .exit_code,
      0);
  EXPECT_EQ(mirror_manifest()["istio_distributions"][0]["downloads"][host]["url"],
            base + "/istio-1.30.5-istio-v0-" + host + ".tar.gz");
}

TEST_F(MirrorTest, CreateRefusesBadFlagsBeforeDownloading) {
  auto result = run_getmesh(
      {"mirror", "create", mirror_dir().string(), "--platform", "windows/amd64"}, fake.options());
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("unknown platform \"windows/amd64\""));
  result =
      run_getmesh({"mirror", "create", mirror_dir().string(), "--version", "one"}, fake.options());
  EXPECT_EQ(result.exit_code, 2);
  result = run_getmesh({"mirror", "create", mirror_dir().string(), "--base-url", "mirror.local"},
                       fake.options());
  EXPECT_EQ(result.exit_code, 2);
  result =
      run_getmesh({"mirror", "create", mirror_dir().string(), "--version", "9.9"}, fake.options());
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("no distribution in the catalogue matches"));
  EXPECT_FALSE(fs::exists(mirror_dir()));
}

TEST_F(MirrorTest, ImagesFollowEachFlavorsTagsAndHubs) {
  const auto manifest = fake.root() / "manifest.json";
  ASSERT_TRUE(write_file_atomic(
      manifest, make_manifest({"1.29.8-istio-v0", "1.29.7-istio-v0", "1.29.8-tetrate-v1"})));
  auto options = fake.options({{"GETMESH_MANIFEST", manifest.string()}});
  // X.Y is every patch, the distributions `mirror create --version 1.29` mirrors (the same
  // selection as `manifest export`).
  auto result =
      run_getmesh({"mirror", "images", "--version", "1.29", "--flavor", "istio"}, options);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out,
            "docker.io/istio/pilot:1.29.8\ndocker.io/istio/proxyv2:1.29.8\n"
            "docker.io/istio/pilot:1.29.7\ndocker.io/istio/proxyv2:1.29.7\n");
  const auto exported =
      run_getmesh({"manifest", "export", "--version", "v1.29", "--flavor", "istio"}, options);
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  std::set<std::string> mirrored;
  const auto exported_manifest = nlohmann::json::parse(exported.out);
  for (const auto& entry : exported_manifest["istio_distributions"]) {
    mirrored.insert(entry["version"].get<std::string>() + "-istio-v0");
  }
  std::set<std::string> listed;
  const auto listed_json = run_getmesh(
      {"mirror", "images", "--version", "v1.29", "--flavor", "istio", "-o", "json"}, options);
  for (const auto& image : nlohmann::json::parse(listed_json.out)) {
    listed.insert(image["distribution"].get<std::string>());
  }
  EXPECT_EQ(listed, mirrored);

  result = run_getmesh({"mirror", "images", "--version", "1.29.8", "--flavor", "tetrate",
                        "--ambient", "--target-hub", "registry.example.com/istio/"},
                       options);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out,
            "containers.istio.tetratelabs.com/pilot:1.29.8-tetrate-v1 "
            "registry.example.com/istio/pilot:1.29.8-tetrate-v1\n"
            "containers.istio.tetratelabs.com/proxyv2:1.29.8-tetrate-v1 "
            "registry.example.com/istio/proxyv2:1.29.8-tetrate-v1\n"
            "containers.istio.tetratelabs.com/ztunnel:1.29.8-tetrate-v1 "
            "registry.example.com/istio/ztunnel:1.29.8-tetrate-v1\n"
            "containers.istio.tetratelabs.com/install-cni:1.29.8-tetrate-v1 "
            "registry.example.com/istio/install-cni:1.29.8-tetrate-v1\n");

  result = run_getmesh({"mirror", "images", "--version", "1.29.7,1.29.8", "--flavor", "istio",
                        "--hub", "gcr.io/istio-release", "-o", "json"},
                       options);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto images = nlohmann::json::parse(result.out);
  ASSERT_EQ(images.size(), 4u);
  EXPECT_EQ(images[0], nlohmann::json({{"distribution", "1.29.7-istio-v0"},
                                       {"component", "pilot"},
                                       {"source", "gcr.io/istio-release/pilot:1.29.7"}}));
  EXPECT_EQ(images[3]["source"], "gcr.io/istio-release/proxyv2:1.29.8");

  // Several flavors: each one's images, in the order asked.
  result = run_getmesh({"mirror", "images", "--version", "1.29.8", "--flavor", "tetrate,istio"},
                       options);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out,
            "containers.istio.tetratelabs.com/pilot:1.29.8-tetrate-v1\n"
            "containers.istio.tetratelabs.com/proxyv2:1.29.8-tetrate-v1\n"
            "docker.io/istio/pilot:1.29.8\ndocker.io/istio/proxyv2:1.29.8\n");
  result =
      run_getmesh({"mirror", "images", "--version", "1.29", "--flavor", "istio,envoy"}, options);
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.out, "");

  result = run_getmesh({"mirror", "images", "--version", "1.29,1.99"}, options);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(run_getmesh({"mirror", "images"}, options).exit_code, 2);  // --version is required
}

// Istio's charts of `version` in a chart repository at `root`, with an index.yaml as Istio's: one
// entry per chart with metadata, a digest and an absolute URL under `base`; `tampered` is changed
// after its digest was taken.
void write_chart_repository(const fs::path& root, const std::string& base,
                            const std::string& version, const std::string& tampered = "") {
  fs::create_directories(root);
  std::string index = "apiVersion: v1\nentries:\n";
  for (const char* chart : {"base", "istiod", "gateway", "cni", "ztunnel"}) {
    auto archive = make_tar_gz({ArchiveMember::file(
        std::string(chart) + "/Chart.yaml",
        "apiVersion: v2\nname: " + std::string(chart) + "\nversion: " + version + "\n", 0644)});
    const auto file = std::string(chart) + "-" + version + ".tgz";
    index += std::string("  ") + chart + ":\n  - apiVersion: v2\n    appVersion: " + version +
             "\n    description: Istio's " + chart + " chart\n    name: " + chart +
             "\n    version: " + version + "\n    digest: " + sha256_hex(archive) +
             "\n    urls:\n    - " + base + file + "\n";
    if (tampered == chart) archive += "tampered";
    ASSERT_TRUE(write_file_atomic(root / file, archive));
  }
  ASSERT_TRUE(write_file_atomic(root / "index.yaml", index));
}

TEST_F(MirrorTest, MirrorsChartsCheckedAgainstTheIndexWithARelativeIndexOfItsOwn) {
  if (!Nginx::available()) GTEST_SKIP() << Nginx::kMissing;
  publish({{"1.29.8", "linux-amd64"}});
  Nginx upstream(upstream_root());
  const auto manifest = write_manifest(upstream.url());
  const auto charts_root = fake.root() / "charts";
  Nginx charts(charts_root);
  write_chart_repository(charts_root, charts.url(), "1.29.8", "ztunnel");

  auto result = create({"--version", "1.29.8", "--platform", "linux/amd64", "--charts",
                        "--chart-repo", charts.url()},
                       manifest);
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_THAT(result.err, HasSubstr("error: not mirrored: ztunnel-1.29.8.tgz: the chart archive " +
                                    charts.url("ztunnel-1.29.8.tgz") + " has SHA-256"));
  EXPECT_THAT(result.err, HasSubstr("1 of 6 archives could not be mirrored"));
  const auto istiod = *read_file(charts_root / "istiod-1.29.8.tgz");
  EXPECT_THAT(result.out, HasSubstr("downloaded istiod-1.29.8.tgz  sha256 " + sha256_hex(istiod) +
                                    " (verified: digest of " + charts.url("index.yaml") + ")"));
  EXPECT_THAT(result.err, HasSubstr("/index.yaml lists 4 chart versions"));
  const std::set<std::string> expected = {"istio-1.29.8-istio-v0-linux-amd64.tar.gz",
                                          "istio-1.29.8-istio-v0-linux-amd64.tar.gz.sha256",
                                          "base-1.29.8.tgz",
                                          "istiod-1.29.8.tgz",
                                          "gateway-1.29.8.tgz",
                                          "cni-1.29.8.tgz",
                                          "index.yaml",
                                          "manifest.json"};
  EXPECT_EQ(mirror_files(), expected) << "the tampered chart is under no name";

  // The mirror's index: Istio's entries, their digests, URLs relative to the mirror.
  const auto index = YAML::LoadFile((mirror_dir() / "index.yaml").string());
  EXPECT_EQ(index["apiVersion"].as<std::string>(), "v1");
  EXPECT_EQ(index["entries"]["istiod"][0]["urls"][0].as<std::string>(), "istiod-1.29.8.tgz");
  EXPECT_EQ(index["entries"]["istiod"][0]["digest"].as<std::string>(), sha256_hex(istiod));
  EXPECT_EQ(index["entries"]["istiod"][0]["description"].as<std::string>(), "Istio's istiod chart");
  EXPECT_FALSE(index["entries"]["ztunnel"]);

  // Fixed upstream: the next run keeps what is there and adds what was missing.
  write_chart_repository(charts_root, charts.url(), "1.29.8");
  result = create({"--version", "1.29.8", "--platform", "linux/amd64", "--charts", "--chart-repo",
                   charts.url()},
                  manifest);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("present    istiod-1.29.8.tgz"));
  EXPECT_THAT(result.out, HasSubstr("downloaded ztunnel-1.29.8.tgz"));
  EXPECT_EQ(charts.requests("/istiod-1.29.8.tgz").size(), 1u);

  // Served by another web server, the mirror is a chart repository getmesh reads as Istio's.
  result = run_getmesh({"mirror", "verify", mirror_dir().string()}, fake.options());
  ASSERT_EQ(result.exit_code, 0) << result.err << result.out;
  EXPECT_THAT(result.out, HasSubstr("ok        ztunnel-1.29.8.tgz\n"));
  EXPECT_THAT(result.out, HasSubstr("ok        istio-1.29.8-istio-v0-linux-amd64.tar.gz\n"));
}

TEST_F(MirrorTest, ChartURLsFollowTheBaseURLAndOnlyCommunityVersionsHaveCharts) {
  if (!Nginx::available()) GTEST_SKIP() << Nginx::kMissing;
  publish({{"1.29.8", "linux-amd64"}});
  Nginx upstream(upstream_root());
  auto manifest = nlohmann::json::parse(*read_file(write_manifest(upstream.url())));
  manifest["istio_distributions"].push_back(manifest["istio_distributions"][0]);
  manifest["istio_distributions"][1]["flavor"] = "tetrate";  // not served: an error, no charts
  manifest["istio_distributions"][1]["version"] = "1.29.9";
  manifest["download_templates"]["tetrate"] = upstream.url("missing/{version}.tar.gz");
  const auto path = fake.root() / "two-flavors.json";
  ASSERT_TRUE(write_file_atomic(path, manifest.dump()));
  const auto charts_root = fake.root() / "charts";
  Nginx charts(charts_root);
  write_chart_repository(charts_root, charts.url(), "1.29.8");

  const auto result =
      create({"--version", "1.29", "--platform", "linux/amd64", "--charts", "--chart-repo",
              charts.url(), "--base-url", "https://mirror.example.com/istio/"},
             path);
  EXPECT_THAT(result.err, HasSubstr("not mirrored: istio-1.29.9-tetrate-v0-linux-amd64.tar.gz"));
  EXPECT_THAT(result.err, Not(HasSubstr("1.29.9.tgz"))) << "Tetrate's builds have no charts";
  EXPECT_THAT(result.err, HasSubstr("/index.yaml lists 5 chart versions"));
  const auto index = YAML::LoadFile((mirror_dir() / "index.yaml").string());
  EXPECT_EQ(index["entries"]["gateway"][0]["urls"][0].as<std::string>(),
            "https://mirror.example.com/istio/gateway-1.29.8.tgz");
  EXPECT_EQ(index["entries"]["gateway"].size(), 1u);
}

TEST_F(MirrorTest, VerifyRehashesChartsAgainstTheMirrorsIndex) {
  if (!Nginx::available()) GTEST_SKIP() << Nginx::kMissing;
  publish({{"1.29.8", "linux-amd64"}});
  Nginx upstream(upstream_root());
  const auto manifest = write_manifest(upstream.url());
  const auto charts_root = fake.root() / "charts";
  Nginx charts(charts_root);
  write_chart_repository(charts_root, charts.url(), "1.29.8");
  ASSERT_EQ(create({"--version", "1.29.8", "--platform", "linux/amd64", "--charts", "--chart-repo",
                    charts.url()},
                   manifest)
                .exit_code,
            0);
  auto gateway = *read_file(mirror_dir() / "gateway-1.29.8.tgz");
  gateway[gateway.size() / 2] = static_cast<char>(gateway[gateway.size() / 2] ^ 1);
  ASSERT_TRUE(write_file_atomic(mirror_dir() / "gateway-1.29.8.tgz", gateway));
  fs::remove(mirror_dir() / "cni-1.29.8.tgz");
  ASSERT_TRUE(write_file_atomic(mirror_dir() / "extra-1.0.0.tgz", "a chart nobody listed"));

  const auto result = run_getmesh({"mirror", "verify", mirror_dir().string()}, fake.options());
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_THAT(result.out, HasSubstr("MISMATCH  gateway-1.29.8.tgz: sha256 is " +
                                    sha256_hex(gateway) + ", index.yaml says "));
  EXPECT_THAT(result.out, HasSubstr("MISMATCH  cni-1.29.8.tgz: missing\n"));
  EXPECT_THAT(result.out, HasSubstr("MISMATCH  extra-1.0.0.tgz: not listed in index.yaml\n"));
  EXPECT_THAT(result.out, HasSubstr("ok        istiod-1.29.8.tgz\n"));
  EXPECT_THAT(result.err, HasSubstr("3 of 7 archives"));
}

}  // namespace
}  // namespace getmesh::testing::mirror_e2e
