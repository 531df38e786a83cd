#pragma once

#include <getmesh/core/result.hpp>
#include <getmesh/manifest/manifest.hpp>

#include <array>
#include <string>
#include <string_view>

namespace getmesh::manifest {

// The per-platform keys of `downloads` (docs/manifest.md).
inline constexpr std::array<std::string_view, 5> kPlatformKeys = {
    "linux-amd64", "linux-arm64", "linux-armv7", "osx-amd64", "osx-arm64"};

// `manifest` in the manifest format (docs/manifest.md), pretty-printed with a fixed key order, so
// the same catalogue always gives the same bytes: what `getmesh manifest export` writes and what a
// mirror serves. Each download gets its URL and its sha256 (the manifest's, else upstream's
// digest); estimated end-of-life dates keep their mark. parse() of the result gives `manifest`
// back, except that every distribution then comes from the manifest and upstream's `.sha256` URLs
// are dropped (fetch looks beside the archive). A download whose two checksums disagree is an
// error: the serializer never chooses between them.
Result<std::string> to_json(const Manifest& manifest);

// A part of a catalogue: empty fields select everything.
struct Selection {
  std::string flavor;
  std::string version;   // "X.Y" or "X.Y.Z"
  std::string platform;  // one of kPlatformKeys
};

// The distributions `selection` matches, with only the selected platform's downloads, and the
// lifecycle entries, end-of-life dates and templates they use. The values must be valid (flavor
// known, version X.Y or X.Y.Z, platform in kPlatformKeys): callers check them first.
Manifest select(const Manifest& manifest, const Selection& selection);

}  // namespace getmesh::manifest
