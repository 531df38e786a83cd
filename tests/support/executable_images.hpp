#pragma once

#include <cstddef>
#include <string>

namespace getmesh::testing {

// Small executables laid out as the Go linker lays them out, for the build information reader's
// tests and fuzz seeds: headers, one data segment and the build information blob in it.
enum class ImageFormat { kElf64, kElf32, kElf64BigEndian, kMachO64, kMachO32, kUniversal };

struct GoImage {
  ImageFormat format = ImageFormat::kElf64;
  std::string go_version = "go1.22.5";
  std::string module_info;      // the text of `go version -m` after its first line
  bool inline_strings = true;   // Go 1.18+; false: pointers to string headers (Go 1.13-1.17)
  bool named_section = true;    // .go.buildinfo / __go_buildinfo; false: only the data segment
  std::size_t blob_offset = 0;  // bytes of data before the blob (a multiple of 16 to be found)
};

// The module information as cmd/go frames it (16-byte sentinels before and after).
std::string framed(const std::string& module_info);

std::string make_go_image(const GoImage& image);

// `go version -m` style module information for tests.
std::string istioctl_module_info(const std::string& extra_build_lines = "");

}  // namespace getmesh::testing
