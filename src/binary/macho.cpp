// Mach-O layout for Go build information, as Go's debug/buildinfo finds it: the `__go_buildinfo`
// section, else the first read-write data segment; addresses map through the segments
// (__PAGEZERO excluded). A universal binary is read through its first slice.
#include "binary/layout.hpp"

namespace getmesh::binary {

namespace {

constexpr std::uint64_t kSegment32 = 0x1;   // LC_SEGMENT
constexpr std::uint64_t kSegment64 = 0x19;  // LC_SEGMENT_64
constexpr std::uint64_t kReadWrite = 3;     // VM_PROT_READ | VM_PROT_WRITE
constexpr std::uint64_t kMaxSlices = 64;

std::string_view fixed_name(std::string_view bytes, std::size_t at) {
  if (at > bytes.size()) return {};
  const auto name = bytes.substr(at, 16);
  return name.substr(0, name.find('\0'));
}

// A universal ("fat") binary: the thin image of its first slice.
Result<Layout> first_slice(const ByteSource& bytes, bool wide_entries) {
  const auto header = bytes.read(0, 8);
  if (!header) return format_error("truncated universal header");
  const auto count = decode_uint(*header, 4, 4, true);
  if (count == 0 || count > kMaxSlices) return format_error("bad universal slice count");
  const std::size_t entry = wide_entries ? 32 : 20;
  const auto first = bytes.read(8, entry);
  if (!first) return format_error("truncated universal header");
  const auto offset = decode_uint(*first, 8, wide_entries ? 8 : 4, true);
  const auto size = decode_uint(*first, wide_entries ? 16 : 12, wide_entries ? 8 : 4, true);
  if (offset == 0 || !in_range(offset, size, bytes.size())) {
    return format_error("a universal slice lies outside the file");
  }
  const auto magic = bytes.read(offset, 4);
  if (!magic) return format_error("truncated universal slice");
  const auto value = decode_uint(*magic, 0, 4, false);
  if (value == 0xcafebabe || value == 0xbebafeca || value == 0xcafebabf || value == 0xbfbafeca) {
    return format_error("a universal binary inside a universal binary");
  }
  return macho_layout(bytes, offset);
}

}  // namespace

Result<Layout> macho_layout(const ByteSource& bytes, std::uint64_t base) {
  const auto magic_bytes = bytes.read(base, 4);
  if (!magic_bytes) return format_error("truncated Mach-O header");
  const auto big_magic = decode_uint(*magic_bytes, 0, 4, true);
  if (base == 0 && (big_magic == 0xcafebabe || big_magic == 0xcafebabf)) {
    return first_slice(bytes, big_magic == 0xcafebabf);
  }
  const bool big_endian = big_magic == 0xfeedface || big_magic == 0xfeedfacf;
  const auto magic = decode_uint(*magic_bytes, 0, 4, big_endian);
  if (magic != 0xfeedface && magic != 0xfeedfacf) return format_error("unknown Mach-O magic");
  const bool wide = magic == 0xfeedfacf;
  const std::size_t header_size = wide ? 32 : 28;
  const auto header = bytes.read(base, header_size);
  if (!header) return format_error("truncated Mach-O header");
  const auto command_count = decode_uint(*header, 16, 4, big_endian);
  const auto commands_size = decode_uint(*header, 20, 4, big_endian);
  if (commands_size > kMaxHeaderTable) return format_error("load commands too large");
  const auto commands = bytes.read(base + header_size, static_cast<std::size_t>(commands_size));
  if (!commands) return format_error("load commands outside the file");

  Layout layout;
  std::optional<Segment> read_write;
  const std::size_t word = wide ? 8 : 4;
  const std::size_t segment_size = wide ? 72 : 56;
  const std::size_t section_size = wide ? 80 : 68;
  std::size_t at = 0;
  for (std::uint64_t i = 0; i < command_count; ++i) {
    if (commands->size() - at < 8) return format_error("truncated load command");
    const auto command = decode_uint(*commands, at, 4, big_endian);
    const auto size = decode_uint(*commands, at + 4, 4, big_endian);
    if (size < 8 || size > commands->size() - at) return format_error("bad load command size");
    const auto body = std::string_view(*commands).substr(at, static_cast<std::size_t>(size));
    at += static_cast<std::size_t>(size);
    if (command != (wide ? kSegment64 : kSegment32)) continue;
    if (body.size() < segment_size) return format_error("truncated segment command");
    const auto field = [&](std::size_t offset, std::size_t width) {
      return decode_uint(body, offset, width, big_endian);
    };
    Segment segment;
    segment.address = field(24, word);
    const auto memory_size = field(24 + word, word);
    const auto file_offset = field(24 + 2 * word, word);
    segment.size = field(24 + 3 * word, word);
    const auto max_protection = field(24 + 4 * word, 4);
    const auto protection = field(28 + 4 * word, 4);
    const auto section_count = field(32 + 4 * word, 4);
    if (!in_range(file_offset, segment.size, bytes.size() - base)) {
      return format_error("a segment lies outside the file");
    }
    segment.offset = base + file_offset;
    if (fixed_name(body, 8) != "__PAGEZERO") {
      if (layout.segments.size() == kMaxSegments) return format_error("too many segments");
      layout.segments.push_back(segment);
    }
    if (section_count > (body.size() - segment_size) / section_size) {
      return format_error("more sections than the segment command holds");
    }
    for (std::uint64_t s = 0; s < section_count; ++s) {
      const auto section = segment_size + static_cast<std::size_t>(s) * section_size;
      if (layout.data_size == 0 && fixed_name(body, section) == "__go_buildinfo") {
        layout.data_address = decode_uint(body, section + 32, word, big_endian);
        layout.data_size = decode_uint(body, section + 32 + word, word, big_endian);
      }
    }
    if (!read_write && segment.address != 0 && segment.size != 0 && protection == kReadWrite &&
        max_protection == kReadWrite) {
      read_write = segment;
      read_write->size = memory_size;
    }
  }
  if (layout.data_size == 0 && read_write) {
    layout.data_address = read_write->address;
    layout.data_size = read_write->size;
  }
  return layout;
}

}  // namespace getmesh::binary
