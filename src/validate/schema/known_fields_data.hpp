#pragma once

#include <string_view>

namespace getmesh::validate::schema {

// The field table generated from the upstream CRD bundle by tools/gen_known_fields.py: sections
// "@Kind", then one line per field path: "<path> <type>[ <enum>|<enum>...]".
extern const std::string_view kKnownFields;

}  // namespace getmesh::validate::schema
