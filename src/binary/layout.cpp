#include "binary/layout.hpp"

#include <algorithm>

namespace getmesh::binary {

std::uint64_t decode_uint(std::string_view bytes, std::size_t at, std::size_t width,
                          bool big_endian) {
  if (width > 8 || at > bytes.size() || width > bytes.size() - at) return 0;
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < width; ++i) {
    const auto byte = static_cast<unsigned char>(bytes[at + (big_endian ? i : width - 1 - i)]);
    value = (value << 8) | byte;
  }
  return value;
}

Result<Layout> executable_layout(const ByteSource& bytes) {
  const auto magic = bytes.read(0, 4);
  if (!magic) return runtime_error("not an executable: the file is shorter than any header");
  if (*magic == std::string_view("\x7f"
                                 "ELF",
                                 4))
    return elf_layout(bytes);
  const auto little = decode_uint(*magic, 0, 4, false);
  const auto big = decode_uint(*magic, 0, 4, true);
  for (const auto value : {little, big}) {
    if (value == 0xfeedface || value == 0xfeedfacf || value == 0xcafebabe || value == 0xcafebabf) {
      return macho_layout(bytes);
    }
  }
  return runtime_error("not an ELF or Mach-O executable");
}

std::optional<std::string> read_at(const ByteSource& bytes, const Layout& layout,
                                   std::uint64_t address, std::size_t length) {
  for (const auto& segment : layout.segments) {
    if (segment.size == 0 || address < segment.address ||
        address - segment.address >= segment.size) {
      continue;
    }
    const auto within = address - segment.address;
    const auto available = segment.size - within;
    const auto count = static_cast<std::size_t>(std::min<std::uint64_t>(available, length));
    if (segment.offset > UINT64_MAX - within) return std::nullopt;
    return bytes.read(segment.offset + within, count);
  }
  return std::nullopt;
}

}  // namespace getmesh::binary
