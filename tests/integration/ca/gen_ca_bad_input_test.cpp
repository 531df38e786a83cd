#include "integration/ca/ca_cli.hpp"

#include <gtest/gtest.h>

namespace getmesh::testing {
namespace {

namespace fs = std::filesystem;

// A failed run: exit code, one error line naming the problem, a hint, and nothing written.
void expect_refused(const TempDir& temp, const RunResult& result, int exit_code,
                    const std::string& message) {
  EXPECT_EQ(result.exit_code, exit_code) << result.err;
  EXPECT_NE(result.err.find("error: " + message), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("\nhint: "), std::string::npos) << result.err;
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err.find("PRIVATE KEY"), std::string::npos);
  EXPECT_FALSE(fs::exists(temp.path() / "out"));
  EXPECT_EQ(files_below(temp.path() / "home"), std::vector<std::string>{});
}

std::vector<std::string> with_output(std::vector<std::string> args) {
  args.insert(args.end(), {"--output-dir", "out"});
  return args;
}

TEST(GenCaBadInput, MissingConfigFile) {
  TempDir temp;
  expect_refused(temp, gen_ca(temp, with_output({"--config-file", "absent.yaml"})), 2,
                 "cannot read the config file: cannot read absent.yaml: No such file or directory");
}

TEST(GenCaBadInput, ConfigFileThatIsNotYaml) {
  TempDir temp;
  temp.write("bad.yaml", "providerName: [local\n");
  expect_refused(temp, gen_ca(temp, with_output({"--config-file", "bad.yaml"})), 2,
                 "the config file bad.yaml is not valid YAML");
}

TEST(GenCaBadInput, ConfigFileWithAnUnknownField) {
  TempDir temp;
  temp.write("gen-ca.yaml",
             "providerName: local\ncertificateParameters:\n  caOptions:\n"
             "    validityDay: 10\n");
  expect_refused(temp, gen_ca(temp, with_output({"--config-file", "gen-ca.yaml"})), 2,
                 "the config file gen-ca.yaml: unknown field "
                 "\"certificateParameters.caOptions.validityDay\" (line 4)");
}

TEST(GenCaBadInput, UnknownProviderInTheFileOrOnTheCommandLine) {
  TempDir temp;
  temp.write("gen-ca.yaml", "providerName: azure\n");
  expect_refused(temp, gen_ca(temp, with_output({"--config-file", "gen-ca.yaml"})), 2,
                 "unknown provider \"azure\" (providerName in the config file gen-ca.yaml)");
  expect_refused(temp, gen_ca(temp, with_output({"--provider", "azure"})), 2,
                 "unknown provider \"azure\" (--provider)");
}

TEST(GenCaBadInput, UnknownFlag) {
  TempDir temp;
  const auto result = gen_ca(temp, {"--testing=test"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("--testing"), std::string::npos) << result.err;
}

TEST(GenCaBadInput, RootKeyThatDoesNotMatchTheCertificate) {
  TempDir temp;
  const auto root = make_root(temp.path(), "root", 3650, {"basicConstraints=critical,CA:TRUE"});
  const auto other = make_root(temp.path(), "other", 3650, {"basicConstraints=critical,CA:TRUE"});
  expect_refused(temp,
                 gen_ca(temp, with_output({"--provider", "local", "--root-cert", root.cert.string(),
                                           "--root-key", other.key.string()})),
                 1,
                 "the root key \"" + other.key.string() +
                     "\" is not the private key of the root certificate \"" + root.cert.string() +
                     "\"");
}

TEST(GenCaBadInput, EncryptedRootKeyWithoutOrWithTheWrongPassphrase) {
  TempDir temp;
  const auto root = make_root(temp.path(), "root", 3650, {"basicConstraints=critical,CA:TRUE"},
                              {"-passout", "pass:correct horse"});
  // make_root passes -nodes; re-encrypt the key.
  const auto encrypted = temp.path() / "encrypted-key.pem";
  ASSERT_EQ(openssl({"pkey", "-in", root.key.string(), "-aes256", "-passout", "pass:correct horse",
                     "-out", encrypted.string()},
                    temp.path())
                .exit_code,
            0);
  const std::vector<std::string> base{"--provider",       "local",      "--root-cert",
                                      root.cert.string(), "--root-key", encrypted.string()};
  expect_refused(
      temp, gen_ca(temp, with_output(base)), 1,
      "the root key \"" + encrypted.string() + "\" is encrypted and no passphrase was given");

  temp.write("wrong.txt", "battery staple\n");
  auto wrong = base;
  wrong.insert(wrong.end(), {"--root-key-passphrase-file", "wrong.txt"});
  expect_refused(temp, gen_ca(temp, with_output(wrong)), 1,
                 "cannot decrypt the root key \"" + encrypted.string() + "\": wrong passphrase");

  temp.write("right.txt", "correct horse\n");
  auto right = base;
  right.insert(right.end(), {"--root-key-passphrase-file", "right.txt", "--validity-days", "30"});
  const auto result = gen_ca(temp, with_output(right));
  EXPECT_EQ(result.exit_code, 0) << result.err;
}

TEST(GenCaBadInput, RootThatIsNotACa) {
  TempDir temp;
  const auto leaf = make_root(temp.path(), "leaf", 3650, {"basicConstraints=critical,CA:FALSE"});
  expect_refused(temp,
                 gen_ca(temp, with_output({"--provider", "local", "--root-cert", leaf.cert.string(),
                                           "--root-key", leaf.key.string()})),
                 1,
                 "the root certificate \"" + leaf.cert.string() +
                     "\" (CN=leaf,O=Test) is not a CA certificate: its basic constraints lack "
                     "CA:TRUE");
}

TEST(GenCaBadInput, ValidityPastTheRootsEnd) {
  TempDir temp;
  const auto root = make_root(temp.path(), "root", 30, {"basicConstraints=critical,CA:TRUE"});
  const auto result =
      gen_ca(temp, with_output({"--provider", "local", "--root-cert", root.cert.string(),
                                "--root-key", root.key.string(), "--validity-days", "365"}));
  expect_refused(temp, result, 1,
                 "a CA valid for 365 days would outlive the root certificate, which expires on ");
  EXPECT_NE(result.err.find("hint: give --validity-days 29 or less"), std::string::npos)
      << result.err;
}

TEST(GenCaBadInput, RootWhosePathLengthAllowsNoFurtherCa) {
  TempDir temp;
  const auto root =
      make_root(temp.path(), "root", 3650, {"basicConstraints=critical,CA:TRUE,pathlen:0"});
  expect_refused(
      temp,
      gen_ca(temp, with_output({"--provider", "local", "--root-cert", root.cert.string(),
                                "--root-key", root.key.string(), "--validity-days", "30"})),
      2, "the root certificate allows 0 CA levels below it");
}

TEST(GenCaBadInput, ExistingOutputFileIsNeverOverwritten) {
  TempDir temp;
  temp.write("out/cert-chain.pem", "keep me");
  const auto result =
      gen_ca(temp, {"--provider", "local", "--generate-root", "--output-dir", "out"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("error: cannot write the result: out/cert-chain.pem already exists"),
            std::string::npos)
      << result.err;
  EXPECT_EQ(files_below(temp.path() / "out"), std::vector<std::string>{"cert-chain.pem"});
}

TEST(GenCaBadInput, SecretFileInAMissingDirectoryOrAlreadyThere) {
  TempDir temp;
  expect_refused(temp,
                 gen_ca(temp, {"--provider", "local", "--generate-root", "--secret-file-path",
                               "missing/cacerts.yaml"}),
                 1, "cannot write the result: the directory missing does not exist");
  temp.write("cacerts.yaml", "keep me");
  const auto result = gen_ca(
      temp, {"--provider", "local", "--generate-root", "--secret-file-path", "cacerts.yaml"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("cacerts.yaml already exists"), std::string::npos) << result.err;
}

TEST(GenCaBadInput, FlagsOfAnotherProvider) {
  TempDir temp;
  expect_refused(temp,
                 gen_ca(temp, with_output({"--provider", "local", "--generate-root", "--signing-ca",
                                           "arn:aws:acm-pca:x"})),
                 2, "--signing-ca (aws) cannot be used with the local provider");
}

}  // namespace
}  // namespace getmesh::testing
