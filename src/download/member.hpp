#pragma once

#include <string_view>

namespace getmesh::download {

enum class MemberKind {
  kIstioctl,  // `istioctl` (istioctl-only archives) or `<top>/bin/istioctl` (release archives)
  kOther,     // anything else, skipped
  kUnsafe,    // an absolute path or one with a `..` component: the archive is refused
};

// Classifies an archive member by its path; leading `./` and `.` components are ignored.
MemberKind classify_member(std::string_view path);

}  // namespace getmesh::download
