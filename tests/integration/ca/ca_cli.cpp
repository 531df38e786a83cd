#include "integration/ca/ca_cli.hpp"

#include <getmesh/core/fs.hpp>
#include <getmesh/core/strings.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <sys/stat.h>

namespace getmesh::testing {

RunResult openssl(const std::vector<std::string>& args, const std::filesystem::path& directory) {
  std::vector<std::string> argv{"openssl"};
  argv.insert(argv.end(), args.begin(), args.end());
  RunOptions options;
  options.cwd = directory;
  return run_program(argv, options);
}

std::string x509_text(const std::filesystem::path& certificate) {
  const auto result =
      openssl({"x509", "-in", certificate.string(), "-noout", "-text"}, certificate.parent_path());
  EXPECT_EQ(result.exit_code, 0) << result.err;
  return result.out;
}

unsigned file_mode(const std::filesystem::path& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return 0;
  return info.st_mode & 07777;
}

std::vector<std::string> files_below(const std::filesystem::path& directory) {
  std::vector<std::string> found;
  std::error_code error;
  for (auto it = std::filesystem::recursive_directory_iterator(directory, error);
       it != std::filesystem::recursive_directory_iterator(); it.increment(error)) {
    if (it->is_regular_file()) found.push_back(std::filesystem::relative(it->path(), directory));
  }
  std::sort(found.begin(), found.end());
  return found;
}

TestRoot make_root(const std::filesystem::path& directory, const std::string& name, int days,
                   const std::vector<std::string>& extensions,
                   const std::vector<std::string>& extra) {
  TestRoot root{directory / (name + "-cert.pem"), directory / (name + "-key.pem")};
  std::vector<std::string> args{"req",
                                "-x509",
                                "-newkey",
                                "ec",
                                "-pkeyopt",
                                "ec_paramgen_curve:P-256",
                                "-nodes",
                                "-subj",
                                "/O=Test/CN=" + name,
                                "-days",
                                std::to_string(days),
                                "-keyout",
                                root.key.string(),
                                "-out",
                                root.cert.string()};
  for (const auto& extension : extensions) {
    args.push_back("-addext");
    args.push_back(extension);
  }
  args.insert(args.end(), extra.begin(), extra.end());
  const auto made = openssl(args, directory);
  EXPECT_EQ(made.exit_code, 0) << made.err;
  return root;
}

std::vector<nlohmann::json> read_request_log(const std::filesystem::path& log) {
  std::vector<nlohmann::json> seen;
  auto text = read_file(log);
  if (!text) return seen;
  for (const auto& line : split(*text, '\n')) {
    if (!line.empty()) seen.push_back(nlohmann::json::parse(line));
  }
  return seen;
}

void expect_nothing_written(const TempDir& temp) {
  EXPECT_FALSE(std::filesystem::exists(temp.path() / "out"));
  EXPECT_EQ(files_below(temp.path() / "home"), std::vector<std::string>{});
}

RunResult gen_ca(const TempDir& temp, std::vector<std::string> args,
                 std::map<std::string, std::string> env) {
  args.insert(args.begin(), "gen-ca");
  RunOptions options;
  options.cwd = temp.path();
  options.env = std::move(env);
  options.env["GETMESH_HOME"] = (temp.path() / "home").string();
  options.env["HOME"] = (temp.path() / "user").string();
  return run_getmesh(args, options);
}

}  // namespace getmesh::testing
