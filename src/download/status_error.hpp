#pragma once

#include <getmesh/core/result.hpp>

#include <string>

namespace getmesh::download {

// The error for a download of `url` that got HTTP `status` (file:// URLs: 404 missing, 403
// unreadable). 408, 429 and 5xx are marked transient.
Error status_error(const std::string& url, long status);

}  // namespace getmesh::download
