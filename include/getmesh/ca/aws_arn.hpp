#pragma once

#include <getmesh/core/result.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace getmesh::ca {

// arn:<partition>:acm-pca:<region>:<account>:certificate-authority/<id>
struct CaArn {
  std::string text;
  std::string partition;
  std::string region;
  std::string account;
};

Result<CaArn> parse_ca_arn(std::string_view arn);

// https://acm-pca.<region>.amazonaws.com (amazonaws.com.cn in the aws-cn partition).
std::string default_pca_endpoint(const CaArn& arn);

// The AWS-managed subordinate CA template with path length 0-3 in the CA's partition.
std::string subordinate_template_arn(const CaArn& arn, int path_len);

// The path length a template issues ("...PathLen2..." gives 2); nullopt when its name does not say.
std::optional<int> template_path_len(std::string_view template_arn);

}  // namespace getmesh::ca
