#pragma once

#include <getmesh/exec/process.hpp>

#include <string>

namespace getmesh::upgrade {

// The last non-blank lines (at most 20) of what a child (istioctl, helm) printed on stdout and
// stderr, for an error message.
std::string tail_of(const exec::Captured& captured);

}  // namespace getmesh::upgrade
