#include "support/temp_dir.hpp"

#include <getmesh/ca/aws_credentials.hpp>

#include <gtest/gtest.h>

namespace getmesh::ca {
namespace {

class AwsCredentialsTest : public ::testing::Test {
 protected:
  Environment environment(std::map<std::string, std::string, std::less<>> variables = {}) const {
    variables.emplace("HOME", temp_.path().string());
    return Environment(std::move(variables));
  }
  void credentials_file(const std::string& text) const { temp_.write(".aws/credentials", text); }
  void config_file(const std::string& text) const { temp_.write(".aws/config", text); }

  getmesh::testing::TempDir temp_;
};

TEST_F(AwsCredentialsTest, EnvironmentComesFirst) {
  credentials_file("[default]\naws_access_key_id = FILE\naws_secret_access_key = file-secret\n");
  const auto found = resolve_aws_credentials(environment({{"AWS_ACCESS_KEY_ID", "ENV"},
                                                          {"AWS_SECRET_ACCESS_KEY", "env-secret"},
                                                          {"AWS_SESSION_TOKEN", "token"}}));
  ASSERT_TRUE(found.ok()) << found.error().message;
  EXPECT_EQ(found->access_key_id, "ENV");
  EXPECT_EQ(found->secret_access_key, "env-secret");
  EXPECT_EQ(found->session_token, "token");
}

TEST_F(AwsCredentialsTest, HalfTheEnvironmentIsAnError) {
  const auto found = resolve_aws_credentials(environment({{"AWS_ACCESS_KEY_ID", "ENV"}}));
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.error().message, "only AWS_ACCESS_KEY_ID is set in the environment");
}

TEST_F(AwsCredentialsTest, DefaultProfileOfTheCredentialsFile) {
  credentials_file(
      "# comment\n[other]\naws_access_key_id=OTHER\naws_secret_access_key=x\n\n"
      "[default]\r\naws_access_key_id = DEFAULT\r\naws_secret_access_key = s3cr3t=\r\n"
      "s3 =\n  max_concurrent_requests = 2\n");
  const auto found = resolve_aws_credentials(environment());
  ASSERT_TRUE(found.ok()) << found.error().message;
  EXPECT_EQ(found->access_key_id, "DEFAULT");
  EXPECT_EQ(found->secret_access_key, "s3cr3t=");
  EXPECT_EQ(found->session_token, "");
}

TEST_F(AwsCredentialsTest, NamedProfileFromTheConfigFile) {
  credentials_file("[default]\naws_access_key_id=DEFAULT\naws_secret_access_key=x\n");
  config_file(
      "[default]\nregion = eu-west-1\n[profile mesh]\naws_access_key_id = MESH\n"
      "aws_secret_access_key = mesh-secret\naws_session_token = mesh-token\n");
  const auto found = resolve_aws_credentials(environment({{"AWS_PROFILE", "mesh"}}));
  ASSERT_TRUE(found.ok()) << found.error().message;
  EXPECT_EQ(found->access_key_id, "MESH");
  EXPECT_EQ(found->session_token, "mesh-token");
  EXPECT_NE(found->source.find("\"mesh\""), std::string::npos);
}

TEST_F(AwsCredentialsTest, FileLocationsFromTheEnvironment) {
  temp_.write("elsewhere/creds", "[ci]\naws_access_key_id=CI\naws_secret_access_key=ci\n");
  const auto found = resolve_aws_credentials(
      environment({{"AWS_PROFILE", "ci"},
                   {"AWS_SHARED_CREDENTIALS_FILE", (temp_.path() / "elsewhere/creds").string()},
                   {"AWS_CONFIG_FILE", (temp_.path() / "elsewhere/none").string()}}));
  ASSERT_TRUE(found.ok()) << found.error().message;
  EXPECT_EQ(found->access_key_id, "CI");
}

TEST_F(AwsCredentialsTest, MissingNamedProfile) {
  credentials_file("[default]\naws_access_key_id=DEFAULT\naws_secret_access_key=x\n");
  const auto found = resolve_aws_credentials(environment({{"AWS_PROFILE", "prod"}}));
  ASSERT_FALSE(found.ok());
  EXPECT_NE(found.error().message.find("the AWS profile \"prod\" (AWS_PROFILE) is in neither"),
            std::string::npos)
      << found.error().message;
}

TEST_F(AwsCredentialsTest, AssumeRoleProfilesAreExplained) {
  config_file("[profile admin]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = default\n");
  const auto found = resolve_aws_credentials(environment({{"AWS_PROFILE", "admin"}}));
  ASSERT_FALSE(found.ok());
  EXPECT_NE(found.error().message.find("through role_arn"), std::string::npos);
  EXPECT_NE(found.error().hint.find("aws configure export-credentials"), std::string::npos);
}

TEST_F(AwsCredentialsTest, NothingAnywhere) {
  const auto found = resolve_aws_credentials(environment());
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.error().message, "no AWS credentials were found for the aws provider");
  EXPECT_NE(found.error().hint.find("AWS_ACCESS_KEY_ID"), std::string::npos);
}

}  // namespace
}  // namespace getmesh::ca
