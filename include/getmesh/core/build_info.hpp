#pragma once

#include <string>
#include <string_view>

namespace getmesh {

// What this binary is, fixed at build time (cmake/BuildInfo.cmake).
struct BuildInfo {
  std::string_view version;  // the project version, e.g. "0.1.0"
  std::string_view commit;  // git commit of the checkout ("…-dirty" when modified), "" without one
  std::string_view date;    // release date YYYY-MM-DD (SOURCE_DATE_EPOCH, else the commit's), or ""
};

const BuildInfo& build_info();

// "0.1.0 (commit 0123456789ab, 2026-11-29)", or just "0.1.0" when built outside a checkout.
std::string version_text();

}  // namespace getmesh
