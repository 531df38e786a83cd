#pragma once

#include <getmesh/core/result.hpp>

#include <string>

namespace getmesh::download {

// The error for a download of `url` that got HTTP `status` (file:// URLs: 404 missing, 403
// unreadable). 408, 429 and 5xx are marked transient.
Error status_error(const std::string& url, long status);

// `error` of a download from the mirror `mirror` (GETMESH_MIRROR; empty: none): when the mirror
// does not answer or is failing (a transient error), the advice is about the mirror, not to use
// one.
Error with_mirror_advice(const std::string& mirror, Error error);

}  // namespace getmesh::download
