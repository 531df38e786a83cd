#pragma once

#include "validate/schema/report.hpp"

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace getmesh::validate::schema {

// One field of a kind's spec, as the upstream CRD's structural schema declares it.
struct FieldSchema {
  char type = 'x';  // o(bject) a(rray) m(ap) s(tring) i(nteger) n(umber) b(oolean) x (anything)
  std::vector<std::string> enum_values;
};

using KindSchema = std::unordered_map<std::string, FieldSchema>;  // "spec.http[].route" → field

// The parsed table of kKnownFields, by kind name; parsed once.
const std::unordered_map<std::string, KindSchema>& known_fields();

// Reports unknown fields (IST0133: the API server drops them), values of the wrong type and values
// outside an enum (IST0106) in the spec of `resource`.
void check_known_fields(Report& report, const Resource& resource);

}  // namespace getmesh::validate::schema
