#pragma once

#include <getmesh/core/result.hpp>
#include <getmesh/download/install.hpp>
#include <getmesh/net/http.hpp>

namespace getmesh::download {

// Asks (HEAD) whether the archive of `plan` exists, before a missing `.sha256` file is taken for
// "no checksum published": an archive that answers 404 or 410 is that error (what was asked,
// the status and what to do), not an unverified download. Any other answer, or none, lets the
// download go on and report for itself.
Status check_archive_present(const Plan& plan, const net::Client& http);

}  // namespace getmesh::download
