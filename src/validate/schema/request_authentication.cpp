#include "validate/schema/kinds.hpp"
#include "validate/schema/rules.hpp"

#include <getmesh/core/strings.hpp>

namespace getmesh::validate::schema {

void check_request_authentication(Report& report, const Resource& resource) {
  const auto& spec = resource.spec();
  check_policy_target(report, spec, "selector");
  std::size_t index = 0;
  spec["jwtRules"].for_each_item([&](const Node& rule) {
    const auto path = item("spec.jwtRules", index++);
    if (rule["issuer"].empty() && rule["jwksUri"].empty())
      report.error(rule, path, "issuer or jwksUri must be set");
    if (rule.has("jwks") && rule.has("jwksUri"))
      report.error(rule, path, "only one of jwks or jwksUri may be set");
    if (const auto& uri = rule["jwksUri"];
        !uri.empty() && !uri.str().starts_with("http://") && !uri.str().starts_with("https://")) {
      report.error(uri, path + ".jwksUri", "jwksUri must use http or https: " + quote(uri.str()));
    }
    std::size_t audience = 0;
    rule["audiences"].for_each_item([&](const Node& value) {
      if (value.empty())
        report.error(value, item(path + ".audiences", audience), "audience must not be empty");
      ++audience;
    });
    std::size_t header = 0;
    rule["fromHeaders"].for_each_item([&](const Node& value) {
      if (value["name"].empty())
        report.error(value, item(path + ".fromHeaders", header) + ".name",
                     "header name must not be empty");
      ++header;
    });
    check_duration(report, rule["timeout"], path + ".timeout");
    if (rule["jwks"].str().find("\"d\"") != std::string::npos) {
      report.warning(rule["jwks"], path + ".jwks",
                     "the inline JWKS contains a private key; publish only public keys");
    }
  });
}

}  // namespace getmesh::validate::schema
