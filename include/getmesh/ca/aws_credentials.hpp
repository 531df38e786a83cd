#pragma once

#include <getmesh/ca/aws_sigv4.hpp>
#include <getmesh/core/environment.hpp>
#include <getmesh/core/result.hpp>

namespace getmesh::ca {

// Finds AWS credentials the way the AWS CLI does, for static keys:
// 1. AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN;
// 2. the profile AWS_PROFILE (else "default") in the shared credentials file
//    (AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/credentials), then in the config file
//    (AWS_CONFIG_FILE, else ~/.aws/config, section "[profile <name>]" or "[default]").
// Profiles that only assume roles, run credential processes or use SSO are reported as such,
// with a hint to export their credentials into the environment.
Result<AwsCredentials> resolve_aws_credentials(const Environment& environment);

}  // namespace getmesh::ca
