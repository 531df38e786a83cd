#include "ca/ini.hpp"

#include <getmesh/ca/aws_credentials.hpp>
#include <getmesh/core/fs.hpp>
#include <getmesh/core/strings.hpp>

#include <filesystem>

namespace getmesh::ca {

namespace {

const char* const kSetupHint =
    "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN), or give a profile "
    "with aws_access_key_id and aws_secret_access_key in ~/.aws/credentials (AWS_PROFILE picks "
    "the profile)";

struct SharedFile {
  std::filesystem::path path;
  IniSections sections;
  bool present = false;
};

Result<SharedFile> read_shared_file(const Environment& environment, const char* variable,
                                    const char* default_name) {
  SharedFile file;
  if (auto path = environment.get(variable)) {
    file.path = *path;
  } else if (auto home = environment.get("HOME")) {
    file.path = std::filesystem::path(*home) / ".aws" / default_name;
  } else {
    return file;
  }
  std::error_code error;
  if (!std::filesystem::exists(file.path, error)) return file;
  auto text = read_file(file.path);
  if (!text) return text.error().with_context("cannot read the AWS shared file");
  file.sections = parse_ini(*text);
  file.present = true;
  return file;
}

const std::map<std::string, std::string>* find_section(const SharedFile& file,
                                                       const std::string& name) {
  const auto found = file.sections.find(name);
  return found == file.sections.end() ? nullptr : &found->second;
}

std::string value_of(const std::map<std::string, std::string>& section, const std::string& key) {
  const auto found = section.find(key);
  return found == section.end() ? std::string() : found->second;
}

// Static keys from one profile section; an error when it has only one of the two keys or only
// indirect credentials.
Result<std::optional<AwsCredentials>> from_section(
    const std::map<std::string, std::string>& section, const std::string& source) {
  AwsCredentials credentials{value_of(section, "aws_access_key_id"),
                             value_of(section, "aws_secret_access_key"),
                             value_of(section, "aws_session_token"), source};
  if (!credentials.access_key_id.empty() && !credentials.secret_access_key.empty()) {
    return std::optional<AwsCredentials>(std::move(credentials));
  }
  if (!credentials.access_key_id.empty() || !credentials.secret_access_key.empty()) {
    return runtime_error(source + " has only one of aws_access_key_id and aws_secret_access_key",
                         "give both keys in the profile");
  }
  for (const char* indirect : {"role_arn", "credential_process", "sso_session", "sso_start_url",
                               "web_identity_token_file"}) {
    if (section.contains(indirect)) {
      return runtime_error(source + " gets its credentials through " + std::string(indirect) +
                               ", which getmesh does not support",
                           "export the profile's credentials first: eval \"$(aws configure "
                           "export-credentials --profile <name> --format env)\"");
    }
  }
  return std::optional<AwsCredentials>();
}

}  // namespace

Result<AwsCredentials> resolve_aws_credentials(const Environment& environment) {
  const auto key_id = environment.get("AWS_ACCESS_KEY_ID");
  const auto secret = environment.get("AWS_SECRET_ACCESS_KEY");
  if (key_id && secret) {
    return AwsCredentials{*key_id, *secret, environment.get("AWS_SESSION_TOKEN").value_or(""),
                          "the environment (AWS_ACCESS_KEY_ID)"};
  }
  if (key_id || secret) {
    return runtime_error(std::string("only ") +
                             (key_id ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY") +
                             " is set in the environment",
                         "set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or neither to use "
                         "a profile");
  }

  const auto explicit_profile = environment.get("AWS_PROFILE");
  const auto profile = explicit_profile.value_or("default");
  auto credentials_file =
      read_shared_file(environment, "AWS_SHARED_CREDENTIALS_FILE", "credentials");
  if (!credentials_file) return credentials_file.error();
  auto config_file = read_shared_file(environment, "AWS_CONFIG_FILE", "config");
  if (!config_file) return config_file.error();

  bool profile_seen = false;
  if (const auto* section = find_section(*credentials_file, profile)) {
    profile_seen = true;
    auto found = from_section(
        *section, "the profile " + quote(profile) + " in " + credentials_file->path.string());
    if (!found) return found.error();
    if (*found) return **found;
  }
  const auto config_name = profile == "default" ? profile : "profile " + profile;
  if (const auto* section = find_section(*config_file, config_name)) {
    profile_seen = true;
    auto found = from_section(
        *section, "the profile " + quote(profile) + " in " + config_file->path.string());
    if (!found) return found.error();
    if (*found) return **found;
  }
  if (explicit_profile && !profile_seen) {
    return runtime_error(
        "the AWS profile " + quote(profile) + " (AWS_PROFILE) is in neither " +
            credentials_file->path.string() + " nor " + config_file->path.string(),
        "check AWS_PROFILE, or add the profile with: aws configure --profile " + profile);
  }
  return runtime_error("no AWS credentials were found for the aws provider", kSetupHint);
}

}  // namespace getmesh::ca
