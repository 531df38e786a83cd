#pragma once

#include "validate/schema/report.hpp"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace re2 {
class RE2;
}

namespace getmesh::validate::schema {

// One field of a kind's spec, as the upstream CRD's structural schema declares it.
struct FieldSchema {
  char type = 'x';  // o(bject) a(rray) m(ap) s(tring) i(nteger) n(umber) b(oolean) x (anything)
  std::vector<std::string> enum_values;
  bool required = false;  // its parent object must have it
  // A number's value, a list's length or a string's length; unset when the CRD sets no bound.
  std::optional<double> low;
  std::optional<double> high;
  std::vector<std::string> required_children;  // of an object: the names it must have
  std::shared_ptr<const re2::RE2> pattern;     // a string must match it (anywhere, as upstream)
};

using KindSchema = std::unordered_map<std::string, FieldSchema>;  // "spec.http[].route" → field
using FieldTable = std::unordered_map<std::string, KindSchema>;   // kind name → its fields

// The parsed tables of kKnownFields (Istio) and kGatewayApiFields, by kind name; parsed once.
const FieldTable& known_fields();
const FieldTable& gateway_api_fields();

// Reports unknown fields (IST0133: the API server drops them), values of the wrong type, values
// outside an enum or the CRD's bounds, and missing required fields (IST0106) in the spec of
// `resource`, an Istio or Gateway API object.
void check_known_fields(Report& report, const Resource& resource);

}  // namespace getmesh::validate::schema
