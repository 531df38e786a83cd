#pragma once

// Reading files of the home, mirrors and pins, which anyone with access may have replaced by
// something that never ends (a FIFO, a link to /dev/zero) or is too large to hold.

#include <getmesh/core/result.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

namespace getmesh {

// The bytes of `path` when it is a regular file (a symbolic link to one is followed) of at most
// `max_bytes`. Anything else is an error naming the file, without blocking on it or reading it: a
// FIFO, a device such as /dev/zero, a directory, a file beyond the limit.
Result<std::string> read_regular_file(const std::filesystem::path& path, std::size_t max_bytes);

// Passes the bytes of the regular file `path` to `consume` in chunks, for files too large to hold
// (archives); refuses what read_regular_file refuses, and a file that grows beyond `max_bytes`.
Status stream_regular_file(const std::filesystem::path& path, std::uint64_t max_bytes,
                           const std::function<void(std::string_view)>& consume);

}  // namespace getmesh
