#pragma once

#include <string_view>

namespace getmesh::validate::schema {

// The field tables generated from upstream CRD bundles by tools/gen_known_fields.py: sections
// "@Kind", then one line per field path: "<path> <type>[!][ <enum>|<enum>...][ ~<min>..<max>]".
// Istio's kinds (types and enums only):
extern const std::string_view kKnownFields;
// The Gateway API's kinds, with required fields (!) and bounds (~):
extern const std::string_view kGatewayApiFields;

}  // namespace getmesh::validate::schema
