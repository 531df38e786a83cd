#pragma once

#include <getmesh/core/sha256.hpp>

namespace getmesh::download {

using getmesh::Sha256;

}  // namespace getmesh::download
