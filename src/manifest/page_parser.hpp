#pragma once

#include <getmesh/core/result.hpp>
#include <getmesh/manifest/upstream.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace getmesh::manifest {

// The next bytes of a releases page; an empty view at the end. A failure ends the page.
using PageChunks = std::function<Result<std::string_view>()>;

// parse_releases_page (upstream.hpp) while the page's bytes arrive: the page is never held whole,
// and only the fields getmesh uses are kept, so its memory follows the releases, not the bytes.
// Tags that are not canonical versions ("01.28.1" would be a second 1.28.1) are left out with a
// --verbose note. A failure of `chunks` is returned as it is.
Result<std::vector<UpstreamRelease>> parse_releases_page(const PageChunks& chunks,
                                                         const std::string& url);

}  // namespace getmesh::manifest
