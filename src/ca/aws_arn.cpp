#include <getmesh/ca/aws_arn.hpp>
#include <getmesh/core/strings.hpp>

#include <cctype>

namespace getmesh::ca {

Result<CaArn> parse_ca_arn(std::string_view arn) {
  const auto fields = split(arn, ':');
  const auto bad = [&](const std::string& why) {
    return usage_error("the AWS signing CA ARN " + quote(arn) + " " + why,
                       "give the ARN of an ACM Private CA, e.g. arn:aws:acm-pca:us-east-1:"
                       "123456789012:certificate-authority/<id>");
  };
  if (fields.size() != 6 || fields[0] != "arn") return bad("is not an ARN");
  if (fields[2] != "acm-pca") return bad("is not an ACM Private CA ARN");
  if (fields[3].empty()) return bad("has no region");
  if (!fields[5].starts_with("certificate-authority/") ||
      fields[5].size() == std::string_view("certificate-authority/").size()) {
    return bad("does not name a certificate authority");
  }
  for (const char c : fields[3]) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-')) return bad("has a bad region");
  }
  return CaArn{std::string(arn), fields[1], fields[3], fields[4]};
}

std::string default_pca_endpoint(const CaArn& arn) {
  const std::string domain = arn.partition == "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com";
  return "https://acm-pca." + arn.region + "." + domain;
}

std::string subordinate_template_arn(const CaArn& arn, int path_len) {
  return "arn:" + arn.partition + ":acm-pca:::template/SubordinateCACertificate_PathLen" +
         std::to_string(path_len) + "/V1";
}

std::optional<int> template_path_len(std::string_view template_arn) {
  const auto at = template_arn.find("PathLen");
  if (at == std::string_view::npos || at + 7 >= template_arn.size()) return std::nullopt;
  const char digit = template_arn[at + 7];
  if (digit < '0' || digit > '9') return std::nullopt;
  return digit - '0';
}

}  // namespace getmesh::ca
