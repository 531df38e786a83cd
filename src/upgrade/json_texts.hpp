#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace getmesh::upgrade {

// The strings of the array `object[key]`, in order; other items are skipped, and a missing key or
// one that holds no array gives none (the record's lists as written by any getmesh).
std::vector<std::string> texts_at(const nlohmann::json& object, const char* key);

}  // namespace getmesh::upgrade
