#pragma once

#include <getmesh/core/result.hpp>

#include <string>
#include <string_view>

namespace getmesh::ca {

// A Certificate Authority Service CA pool, and optionally one CA in it.
struct CasName {
  std::string project;
  std::string location;
  std::string pool;
  std::string authority;  // empty: the pool picks the CA

  // projects/<p>/locations/<l>/caPools/<pool>
  [[nodiscard]] std::string pool_path() const;
};

// projects/<p>/locations/<l>/caPools/<pool>[/certificateAuthorities/<ca>]. The v1beta1 form
// without a pool, which the original getmesh used, is refused with a hint.
Result<CasName> parse_cas_name(std::string_view name);

}  // namespace getmesh::ca
