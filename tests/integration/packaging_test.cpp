// Install, man pages, the Debian package and reproducibility (docs/packaging.md). The package is
// built from this build tree with cpack and only ever extracted, never installed.
#include "cli/command_tree.hpp"
#include "cli/man_page.hpp"
#include "download/sha256.hpp"
#include "support/run_getmesh.hpp"
#include "support/temp_dir.hpp"

#include <getmesh/core/fs.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <regex>
#include <set>
#include <sstream>

namespace getmesh::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::StartsWith;

const fs::path kBuildDir = GETMESH_BUILD_DIR;
const fs::path kSourceDir = GETMESH_SOURCE_DIR;
const fs::path kManDir = kBuildDir / "generated-docs/man1";

std::string read(const fs::path& path) {
  auto content = read_file(path);
  if (!content) throw std::runtime_error(content.error().message);
  return *content;
}

std::string sha256_of(const fs::path& path) {
  download::Sha256 hash;
  hash.update(read(path));
  return hash.finish();
}

// Relative paths of the files (not directories) below `root`.
std::set<std::string> files_under(const fs::path& root) {
  std::set<std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (!entry.is_directory()) files.insert(fs::relative(entry.path(), root).string());
  }
  return files;
}

// The words of every command of the live tree ("" for getmesh itself, "manifest export"), and the
// file name of its man page, to know which pages there must be.
std::map<std::string, std::string> man_pages() {
  std::ostringstream out;
  std::ostringstream err;
  cli::Output output(out, err, false, false, false, false);
  cli::Context context(Environment(), output);
  const auto tree = cli::build_command_tree(context);
  std::map<std::string, std::string> pages;
  for (const auto* command : cli::all_commands(*tree.root)) {
    pages[cli::command_words(*command)] = cli::man_page_file_name(*command) + ".gz";
  }
  return pages;
}

std::vector<std::string> man_page_names() {
  std::vector<std::string> names;
  for (const auto& [path, file] : man_pages()) names.push_back(file);
  return names;
}

// "manifest export" -> {"manifest", "export"}.
std::vector<std::string> words_of(const std::string& path) {
  std::vector<std::string> words;
  std::istringstream stream(path);
  for (std::string word; stream >> word;) words.push_back(word);
  return words;
}

// What `cmake --install` puts below its prefix: a path relative to the prefix and the file of
// this tree it must equal, byte for byte.
std::map<std::string, fs::path> expected_install() {
  std::map<std::string, fs::path> files = {
      {"bin/getmesh", GETMESH_BINARY},
      {"share/bash-completion/completions/getmesh",
       kBuildDir / "generated-docs/completions/getmesh"},
      {"share/zsh/vendor-completions/_getmesh", kBuildDir / "generated-docs/completions/_getmesh"},
      {"share/fish/vendor_completions.d/getmesh.fish",
       kBuildDir / "generated-docs/completions/getmesh.fish"},
      {"share/doc/getmesh/README.md", kSourceDir / "README.md"},
      {"share/doc/getmesh/LICENSE", kSourceDir / "LICENSE"},
  };
  for (const auto& page : man_page_names()) files["share/man/man1/" + page] = kManDir / page;
  for (const auto& doc : files_under(kSourceDir / "docs")) {
    if (fs::path(doc).extension() == ".md") {
      files["share/doc/getmesh/docs/" + doc] = kSourceDir / "docs" / doc;
    }
  }
  return files;
}

RunResult run_checked(const std::vector<std::string>& argv, const RunOptions& options = {}) {
  auto result = run_program(argv, options);
  EXPECT_EQ(result.exit_code, 0) << argv.front() << " " << (argv.size() > 1 ? argv[1] : "") << ":\n"
                                 << result.out << result.err;
  return result;
}

TEST(Install, PutsEveryFileWhereShellsAndManLookAndNothingElse) {
  TempDir stage;
  RunOptions options;
  options.env["DESTDIR"] = stage.path().string();
  run_checked({GETMESH_CMAKE, "--install", kBuildDir.string(), "--prefix", "/opt/getmesh"},
              options);
  const auto prefix = stage.path() / "opt/getmesh";

  const auto expected = expected_install();
  std::set<std::string> expected_names;
  for (const auto& [name, source] : expected) expected_names.insert(name);
  ASSERT_EQ(files_under(prefix), expected_names);
  for (const auto& [name, source] : expected) {
    EXPECT_EQ(read(prefix / name), read(source)) << name;
    const auto permissions = fs::status(prefix / name).permissions();
    EXPECT_EQ(permissions & fs::perms::owner_exec,
              name == "bin/getmesh" ? fs::perms::owner_exec : fs::perms::none)
        << name;
  }
  // The pages and completions are what the installed binary itself prints.
  const auto binary = (prefix / "bin/getmesh").string();
  for (const auto& [path, file] : man_pages()) {
    const auto page = run_checked({"gzip", "-dc", (kManDir / file).string()});
    std::vector<std::string> argv = {binary, "help", "--man"};
    for (const auto& word : words_of(path)) argv.push_back(word);
    EXPECT_EQ(page.out, run_checked(argv).out) << path;
  }
  EXPECT_EQ(read(prefix / "share/bash-completion/completions/getmesh"),
            run_checked({binary, "completion", "bash"}).out);
  // bash loads the installed completion.
  const auto loaded =
      run_checked({"bash", "--norc", "--noprofile", "-c",
                   "source " + (prefix / "share/bash-completion/completions/getmesh").string() +
                       " && complete -p getmesh"});
  EXPECT_THAT(loaded.out, HasSubstr("-F _getmesh getmesh"));
}

TEST(ManPages, PassManWarningsAndLexgrog) {
  const auto pages = man_page_names();
  ASSERT_EQ(files_under(kManDir), std::set<std::string>(pages.begin(), pages.end()));
  RunOptions options;
  options.env = {{"LC_ALL", "C.UTF-8"}, {"MANWIDTH", "80"}};
  for (const auto& page : pages) {
    const auto path = (kManDir / page).string();
    const auto rendered = run_checked({"man", "--warnings", "-l", path}, options);
    EXPECT_EQ(rendered.err, "") << page;
    EXPECT_THAT(rendered.out, HasSubstr("SYNOPSIS")) << page;
    // What lintian runs: the UTF-8 typesetter, all of groff's warnings.
    const auto typeset =
        run_checked({"man", "--warnings", "-E", "UTF-8", "-l", "-Tutf8", "-Z", path}, options);
    EXPECT_EQ(typeset.err, "") << page;

    const auto name = page.substr(0, page.size() - std::string(".1.gz").size());
    const auto whatis = run_checked({"lexgrog", path}, options);
    EXPECT_THAT(whatis.out, StartsWith(path + ": \"" + name + " - ")) << whatis.out;
  }
}

// The version of CMakeLists.txt, and the commit when built from a checkout.
TEST(Version, ComesFromTheProjectAndTheGitCommit) {
  const std::string expected = "getmesh " + std::string(GETMESH_PROJECT_VERSION);
  const auto version = run_checked({GETMESH_BINARY, "--version"});
  if (!fs::exists(kSourceDir / ".git")) {
    EXPECT_EQ(version.out, expected + "\n");
    return;
  }
  const auto commit =
      run_checked({"git", "-C", kSourceDir.string(), "rev-parse", "--short=12", "HEAD"});
  EXPECT_THAT(version.out, StartsWith(expected + " (commit " + commit.out.substr(0, 12)));
  TempDir home;
  RunOptions options;
  options.env = {{"HOME", home.path().string()}, {"GETMESH_HOME", home.path().string()}};
  const auto json = nlohmann::json::parse(
      run_checked({GETMESH_BINARY, "version", "--remote=false", "-o", "json"}, options).out);
  EXPECT_EQ(json["getmesh_version"], GETMESH_PROJECT_VERSION);
  EXPECT_THAT(json["getmesh_commit"].get<std::string>(), StartsWith(commit.out.substr(0, 12)));
}

// Links the same objects a second time (the getmesh_relinked target) and compares: nothing of the
// time, the place or the order of a link enters the binary.
TEST(ReproducibleBuild, RelinkingGivesTheSameBinary) {
  if (!GETMESH_RELEASE_BUILD) GTEST_SKIP() << "only Release builds are packaged";
  ASSERT_TRUE(fs::exists(GETMESH_RELINKED_BINARY));
  EXPECT_NE(fs::path(GETMESH_RELINKED_BINARY), fs::path(GETMESH_BINARY));
  EXPECT_EQ(sha256_of(GETMESH_RELINKED_BINARY), sha256_of(GETMESH_BINARY));
}

// Where the build ran leaves no trace in the binary (no __FILE__, no debug paths): with the relink
// above, what lets builds of one commit in two directories give the same bytes.
TEST(ReproducibleBuild, TheBinaryHoldsNoPathOfTheBuildMachine) {
  if (!GETMESH_RELEASE_BUILD) GTEST_SKIP() << "only Release builds are packaged";
  const auto binary = read(GETMESH_BINARY);
  for (const auto& directory : {kSourceDir, kBuildDir}) {
    EXPECT_EQ(binary.find(directory.string()), std::string::npos) << directory;
  }
}

// `key: value` fields of a Debian control file.
std::map<std::string, std::string> control_fields(const std::string& control) {
  std::map<std::string, std::string> fields;
  std::istringstream lines(control);
  std::string last;
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line[0] == ' ') {
      fields[last] += "\n" + line;
    } else if (const auto colon = line.find(": "); colon != std::string::npos) {
      last = line.substr(0, colon);
      fields[last] = line.substr(colon + 2);
    }
  }
  return fields;
}

fs::path build_deb(const fs::path& directory, const std::string& epoch) {
  RunOptions options;
  options.env["SOURCE_DATE_EPOCH"] = epoch;
  options.timeout = std::chrono::minutes(3);
  run_checked({GETMESH_CPACK, "--config", (kBuildDir / "CPackConfig.cmake").string(), "-B",
               directory.string()},
              options);
  const auto architecture = run_checked({"dpkg", "--print-architecture"}).out;
  return directory / ("getmesh_" + std::string(GETMESH_PROJECT_VERSION) + "_" +
                      architecture.substr(0, architecture.find('\n')) + ".deb");
}

// Lintian tags documented in docs/packaging.md ("`tag-name`" in its lintian section).
bool documented_lintian_tag(const std::string& tag) {
  const auto docs = read(kSourceDir / "docs/packaging.md");
  const auto section = docs.find("## Lintian");
  return section != std::string::npos && docs.find("`" + tag + "`", section) != std::string::npos;
}

TEST(DebianPackage, IsReproducibleLintianCleanAndRunsWhenExtracted) {
  if (GETMESH_SANITIZED_BUILD) GTEST_SKIP() << "a sanitizer build is not a package";
  TempDir first;
  TempDir second;
  const auto deb = build_deb(first.path(), "1700000000");
  ASSERT_TRUE(fs::exists(deb)) << deb;
  // Two builds of the package, seconds apart: the same bytes.
  const auto again = build_deb(second.path(), "1700000000");
  EXPECT_EQ(sha256_of(deb), sha256_of(again));

  const auto fields = control_fields(run_checked({"dpkg-deb", "-f", deb.string()}).out);
  EXPECT_EQ(fields.at("Package"), "getmesh");
  EXPECT_EQ(fields.at("Version"), GETMESH_PROJECT_VERSION);
  EXPECT_EQ(fields.at("Section"), "admin");
  EXPECT_EQ(fields.at("Priority"), "optional");
  EXPECT_THAT(fields.at("Maintainer"), HasSubstr("<"));
  EXPECT_THAT(fields.at("Description"), StartsWith("fetch, verify and run vetted istioctl"));
  EXPECT_THAT(fields.at("Description"), HasSubstr("\n getmesh keeps several istioctl"));
  const auto& depends = fields.at("Depends");
  EXPECT_THAT(depends, HasSubstr("libc6 (>= "));  // from the binary (dpkg-shlibdeps)
  EXPECT_TRUE(std::regex_search(depends, std::regex(R"(libcurl4(t64)? \(>= 7\.68\.0\))")))
      << depends;  // dlopen'ed, so named by hand
  EXPECT_THAT(depends, HasSubstr("ca-certificates"));

  // Exactly the installed files under /usr, plus Debian's copyright and changelog.
  TempDir root;
  run_checked({"dpkg-deb", "-x", deb.string(), root.path().string()});
  std::set<std::string> expected;
  for (const auto& [name, source] : expected_install()) expected.insert("usr/" + name);
  expected.insert("usr/share/doc/getmesh/copyright");
  expected.insert("usr/share/doc/getmesh/changelog.gz");
  expected.insert("usr/share/lintian/overrides/getmesh");
  EXPECT_EQ(files_under(root.path()), expected);
  const auto changelog =
      run_checked({"gzip", "-dc", (root.path() / "usr/share/doc/getmesh/changelog.gz").string()});
  EXPECT_THAT(changelog.out, StartsWith("getmesh (" + std::string(GETMESH_PROJECT_VERSION) + ")"));
  EXPECT_THAT(changelog.out, HasSubstr("  Tue, 14 Nov 2023 22:13:20 +0000\n"));

  // The packaged binary runs from the extracted tree.
  const auto binary = (root.path() / "usr/bin/getmesh").string();
  EXPECT_THAT(run_checked({binary, "--version"}).out,
              StartsWith("getmesh " + std::string(GETMESH_PROJECT_VERSION)));
  TempDir home;
  RunOptions hermetic;
  hermetic.env = {{"HOME", home.path().string()}, {"GETMESH_HOME", (home.path() / "gm").string()}};
  EXPECT_THAT(run_checked({binary, "list", "--version", "1.30"}, hermetic).out, HasSubstr("1.30."));
  // Stripped: no symbol table.
  EXPECT_THAT(run_checked({"readelf", "-S", binary}).out, ::testing::Not(HasSubstr(".symtab")));

  // lintian: no errors, and every warning and override explained in docs/packaging.md.
  std::istringstream overrides(read(root.path() / "usr/share/lintian/overrides/getmesh"));
  for (std::string line; std::getline(overrides, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::smatch tag;
    ASSERT_TRUE(std::regex_search(line, tag, std::regex(R"(^getmesh: ([a-z0-9-]+) )"))) << line;
    EXPECT_TRUE(documented_lintian_tag(tag[1])) << "explain in docs/packaging.md: " << line;
  }
  RunOptions lintian_options;
  lintian_options.env["HOME"] = home.path().string();
  lintian_options.timeout = std::chrono::minutes(3);
  const auto lintian = run_program({"lintian", "--no-cfg", deb.string()}, lintian_options);
  EXPECT_EQ(lintian.exit_code, 0) << lintian.out << lintian.err;
  std::istringstream tags(lintian.out);
  for (std::string line; std::getline(tags, line);) {
    EXPECT_THAT(line, ::testing::Not(StartsWith("E: "))) << line;
    std::smatch warning;
    if (std::regex_search(line, warning, std::regex(R"(^W: getmesh: ([a-z0-9-]+))"))) {
      EXPECT_TRUE(documented_lintian_tag(warning[1])) << "explain in docs/packaging.md: " << line;
    }
  }
}

}  // namespace
}  // namespace getmesh::testing
