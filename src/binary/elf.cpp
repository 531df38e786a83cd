// ELF layout for Go build information, as Go's debug/buildinfo finds it: the `.go.buildinfo`
// section, else the first writable, non-executable PT_LOAD segment; addresses map through PT_LOAD.
#include "binary/layout.hpp"

namespace getmesh::binary {

namespace {

constexpr std::uint32_t kLoad = 1;     // PT_LOAD
constexpr std::uint32_t kExecute = 1;  // PF_X
constexpr std::uint32_t kWrite = 2;    // PF_W
constexpr std::uint32_t kNoBits = 8;   // SHT_NOBITS
constexpr std::size_t kMaxSectionNames = std::size_t{1} << 20;

struct Header {
  bool wide = false;  // ELFCLASS64
  bool big_endian = false;
  std::uint64_t program_offset = 0, section_offset = 0;
  std::uint64_t program_entry = 0, program_count = 0;
  std::uint64_t section_entry = 0, section_count = 0, names_index = 0;
};

struct Section {
  std::uint64_t name = 0, type = 0, address = 0, offset = 0, size = 0;
};

Result<Header> read_header(const ByteSource& bytes) {
  const auto ident = bytes.read(0, 16);
  if (!ident) return format_error("truncated ELF header");
  Header header;
  const auto elf_class = static_cast<unsigned char>((*ident)[4]);
  const auto data = static_cast<unsigned char>((*ident)[5]);
  if ((elf_class != 1 && elf_class != 2) || (data != 1 && data != 2)) {
    return format_error("unknown ELF class or byte order");
  }
  header.wide = elf_class == 2;
  header.big_endian = data == 2;
  const auto raw = bytes.read(0, header.wide ? 64 : 52);
  if (!raw) return format_error("truncated ELF header");
  const auto field = [&](std::size_t at, std::size_t width) {
    return decode_uint(*raw, at, width, header.big_endian);
  };
  const std::size_t word = header.wide ? 8 : 4;
  header.program_offset = field(header.wide ? 32 : 28, word);
  header.section_offset = field(header.wide ? 40 : 32, word);
  const std::size_t sizes = header.wide ? 54 : 42;
  header.program_entry = field(sizes, 2);
  header.program_count = field(sizes + 2, 2);
  header.section_entry = field(sizes + 4, 2);
  header.section_count = field(sizes + 6, 2);
  header.names_index = field(sizes + 8, 2);
  return header;
}

// A table of `count` entries of `entry` bytes (at least `needed`) at `offset`; empty when absent.
Result<std::string> read_table(const ByteSource& bytes, std::uint64_t offset, std::uint64_t count,
                               std::uint64_t entry, std::uint64_t needed, const char* what) {
  if (count == 0 || offset == 0) return std::string();
  if (entry < needed) return format_error(std::string(what) + " entries are too small");
  if (count * entry > kMaxHeaderTable) return format_error(std::string(what) + " table too large");
  auto table = bytes.read(offset, static_cast<std::size_t>(count * entry));
  if (!table) return format_error(std::string(what) + " table outside the file");
  return std::move(*table);
}

Result<std::vector<Section>> read_sections(const ByteSource& bytes, const Header& header) {
  auto table = read_table(bytes, header.section_offset, header.section_count, header.section_entry,
                          header.wide ? 64 : 40, "section header");
  if (!table) return table.error();
  std::vector<Section> sections;
  for (std::uint64_t i = 0; i * header.section_entry < table->size(); ++i) {
    const auto at = static_cast<std::size_t>(i * header.section_entry);
    const auto field = [&](std::size_t offset, std::size_t width) {
      return decode_uint(*table, at + offset, width, header.big_endian);
    };
    Section section;
    section.name = field(0, 4);
    section.type = field(4, 4);
    if (header.wide) {
      section.address = field(16, 8);
      section.offset = field(24, 8);
      section.size = field(32, 8);
    } else {
      section.address = field(12, 4);
      section.offset = field(16, 4);
      section.size = field(20, 4);
    }
    sections.push_back(section);
  }
  return sections;
}

// The NUL-terminated name at `offset` of the section name table.
std::string_view name_at(std::string_view names, std::uint64_t offset) {
  if (offset >= names.size()) return {};
  const auto rest = names.substr(static_cast<std::size_t>(offset));
  return rest.substr(0, rest.find('\0'));
}

}  // namespace

Result<Layout> elf_layout(const ByteSource& bytes) {
  auto header = read_header(bytes);
  if (!header) return header.error();
  Layout layout;

  auto programs = read_table(bytes, header->program_offset, header->program_count,
                             header->program_entry, header->wide ? 56 : 32, "program header");
  if (!programs) return programs.error();
  std::optional<Segment> writable;
  for (std::uint64_t i = 0; i * header->program_entry < programs->size(); ++i) {
    const auto at = static_cast<std::size_t>(i * header->program_entry);
    const auto field = [&](std::size_t offset, std::size_t width) {
      return decode_uint(*programs, at + offset, width, header->big_endian);
    };
    if (field(0, 4) != kLoad) continue;
    Segment segment;
    std::uint64_t flags = 0;
    std::uint64_t memory_size = 0;
    if (header->wide) {
      flags = field(4, 4);
      segment.offset = field(8, 8);
      segment.address = field(16, 8);
      segment.size = field(32, 8);
      memory_size = field(40, 8);
    } else {
      segment.offset = field(4, 4);
      segment.address = field(8, 4);
      segment.size = field(16, 4);
      memory_size = field(20, 4);
      flags = field(24, 4);
    }
    if (!in_range(segment.offset, segment.size, bytes.size())) {
      return format_error("a loaded segment lies outside the file");
    }
    if (layout.segments.size() == kMaxSegments) return format_error("too many segments");
    layout.segments.push_back(segment);
    if (!writable && (flags & (kExecute | kWrite)) == kWrite) {
      writable = segment;
      writable->size = memory_size;
    }
  }

  auto sections = read_sections(bytes, *header);
  if (!sections) return sections.error();
  if (!sections->empty() && header->names_index < sections->size()) {
    const auto& table = (*sections)[static_cast<std::size_t>(header->names_index)];
    const auto names =
        bytes.read(table.offset,
                   static_cast<std::size_t>(std::min<std::uint64_t>(table.size, kMaxSectionNames)));
    if (!names) return format_error("the section name table lies outside the file");
    for (const auto& section : *sections) {
      if (section.type != kNoBits && name_at(*names, section.name) == ".go.buildinfo") {
        layout.data_address = section.address;
        layout.data_size = section.size;
        return layout;
      }
    }
  }
  if (writable) {
    layout.data_address = writable->address;
    layout.data_size = writable->size;
  }
  return layout;
}

}  // namespace getmesh::binary
