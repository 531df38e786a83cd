#pragma once

#include <getmesh/core/result.hpp>

#include <string_view>

namespace getmesh::download {

// Bytes pulled one chunk at a time, so that a consumer (the extractor) bounds its memory.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // The next chunk; an empty view at the end. The view is valid until the next call.
  virtual Result<std::string_view> read() = 0;
};

}  // namespace getmesh::download
