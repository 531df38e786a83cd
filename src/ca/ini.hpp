#pragma once

// The INI dialect of the AWS shared credentials and config files. Private to src/ca.

#include <map>
#include <string>
#include <string_view>

namespace getmesh::ca {

// Section name -> key -> value. Keys are lower-cased; '#' and ';' start comment lines; indented
// continuation lines (nested settings such as `s3 =` blocks) are skipped; a repeated section adds
// to the first.
using IniSections = std::map<std::string, std::map<std::string, std::string>>;

IniSections parse_ini(std::string_view text);

}  // namespace getmesh::ca
