#pragma once

#include "binary/byte_source.hpp"

#include <getmesh/core/result.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace getmesh::binary {

// Upper bounds for what is read from an executable, whatever its headers claim.
inline constexpr std::size_t kMaxHeaderTable = std::size_t{1} << 20;  // sections, load commands
inline constexpr std::size_t kMaxSegments = 4096;

// The part of a loaded segment that the file backs: virtual address → absolute file offset.
struct Segment {
  std::uint64_t address = 0;
  std::uint64_t offset = 0;
  std::uint64_t size = 0;
};

// What finding Go build information needs from an executable: where the linker put it (its own
// section, else the start of the writable data segment) and how addresses map to the file.
struct Layout {
  std::uint64_t data_address = 0;
  std::uint64_t data_size = 0;
  std::vector<Segment> segments;
};

// ELF (32/64-bit, either byte order) and Mach-O (32/64-bit, thin or the first slice of a
// universal binary). Errors say what is wrong without naming the file.
Result<Layout> executable_layout(const ByteSource& bytes);
Result<Layout> elf_layout(const ByteSource& bytes);
Result<Layout> macho_layout(const ByteSource& bytes, std::uint64_t base = 0);

// Up to `length` bytes at virtual `address`, cut at the end of the segment that holds it; empty
// when no segment holds it.
std::optional<std::string> read_at(const ByteSource& bytes, const Layout& layout,
                                   std::uint64_t address, std::size_t length);

// The unsigned integer of `width` bytes (1, 2, 4 or 8) at `at`; 0 when it is out of `bytes`.
std::uint64_t decode_uint(std::string_view bytes, std::size_t at, std::size_t width,
                          bool big_endian);

inline Error format_error(const std::string& what) {
  return runtime_error("damaged executable: " + what);
}

}  // namespace getmesh::binary
