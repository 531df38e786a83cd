#include "support/executable_images.hpp"

#include <cstdint>
#include <stdexcept>

namespace getmesh::testing {

namespace {

constexpr std::uint64_t kElfBase = 0x400000;
constexpr std::uint64_t kMachOBase = 0x100000000;
constexpr std::size_t kDataOffset = 0x200;

void put(std::string& bytes, std::size_t at, std::uint64_t value, std::size_t width, bool big) {
  if (bytes.size() < at + width) bytes.resize(at + width, '\0');
  for (std::size_t i = 0; i < width; ++i) {
    const auto shift = 8 * (big ? width - 1 - i : i);
    bytes[at + i] = static_cast<char>((value >> shift) & 0xff);
  }
}

void put_text(std::string& bytes, std::size_t at, const std::string& text) {
  if (bytes.size() < at + text.size()) bytes.resize(at + text.size(), '\0');
  bytes.replace(at, text.size(), text);
}

std::string uvarint(std::uint64_t value) {
  std::string out;
  while (value >= 0x80) {
    out += static_cast<char>((value & 0x7f) | 0x80);
    value >>= 7;
  }
  out += static_cast<char>(value);
  return out;
}

// The data segment's content when it starts at `address`.
std::string data_of(const GoImage& image, std::uint64_t address, std::size_t pointer, bool big) {
  std::string data(image.blob_offset, '\0');
  const std::size_t blob = data.size();
  put_text(data, blob, std::string("\xff Go buildinf:", 14));
  put(data, blob + 14, pointer, 1, big);
  const auto module = framed(image.module_info);
  if (image.inline_strings) {
    put(data, blob + 15, 2 | (big ? 1 : 0), 1, big);
    data.resize(blob + 32, '\0');
    data += uvarint(image.go_version.size()) + image.go_version;
    data += uvarint(module.size()) + module;
    return data;
  }
  put(data, blob + 15, big ? 1 : 0, 1, big);
  const std::size_t headers = blob + 32;
  const std::size_t strings = headers + 4 * pointer;
  put(data, blob + 16, address + headers, pointer, big);
  put(data, blob + 16 + pointer, address + headers + 2 * pointer, pointer, big);
  put(data, headers, address + strings, pointer, big);
  put(data, headers + pointer, image.go_version.size(), pointer, big);
  put(data, headers + 2 * pointer, address + strings + image.go_version.size(), pointer, big);
  put(data, headers + 3 * pointer, module.size(), pointer, big);
  put_text(data, strings, image.go_version + module);
  return data;
}

std::string make_elf(const GoImage& image) {
  const bool wide = image.format != ImageFormat::kElf32;
  const bool big = image.format == ImageFormat::kElf64BigEndian;
  const std::size_t word = wide ? 8 : 4;
  const std::uint64_t address = kElfBase + kDataOffset;
  const auto data = data_of(image, address, word, big);
  const std::string names = std::string("\0.go.buildinfo\0.shstrtab\0", 25);
  const std::size_t names_offset = kDataOffset + data.size();
  const std::size_t sections_offset = (names_offset + names.size() + 7) / 8 * 8;
  const std::size_t section_entry = wide ? 64 : 40;
  const std::size_t program_offset = wide ? 64 : 52;

  std::string bytes;
  put_text(bytes, 0,
           std::string("\x7f"
                       "ELF",
                       4));
  put(bytes, 4, wide ? 2 : 1, 1, big);
  put(bytes, 5, big ? 2 : 1, 1, big);
  put(bytes, 6, 1, 1, big);
  put(bytes, 16, 2, 2, big);  // ET_EXEC
  put(bytes, 18, wide ? 62 : 3, 2, big);
  put(bytes, 20, 1, 4, big);
  put(bytes, wide ? 32 : 28, program_offset, word, big);
  put(bytes, wide ? 40 : 32, sections_offset, word, big);
  const std::size_t sizes = wide ? 52 : 40;
  put(bytes, sizes, wide ? 64 : 52, 2, big);
  put(bytes, sizes + 2, wide ? 56 : 32, 2, big);
  put(bytes, sizes + 4, 1, 2, big);
  put(bytes, sizes + 6, section_entry, 2, big);
  put(bytes, sizes + 8, image.named_section ? 3 : 1, 2, big);
  put(bytes, sizes + 10, image.named_section ? 2 : 0, 2, big);

  // One PT_LOAD, read-write, holding the data.
  const std::size_t p = program_offset;
  put(bytes, p, 1, 4, big);
  if (wide) {
    put(bytes, p + 4, 6, 4, big);
    put(bytes, p + 8, kDataOffset, 8, big);
    put(bytes, p + 16, address, 8, big);
    put(bytes, p + 24, address, 8, big);
    put(bytes, p + 32, data.size(), 8, big);
    put(bytes, p + 40, data.size(), 8, big);
  } else {
    put(bytes, p + 4, kDataOffset, 4, big);
    put(bytes, p + 8, address, 4, big);
    put(bytes, p + 12, address, 4, big);
    put(bytes, p + 16, data.size(), 4, big);
    put(bytes, p + 20, data.size(), 4, big);
    put(bytes, p + 24, 6, 4, big);
  }
  bytes.resize(kDataOffset, '\0');
  bytes += data;
  put_text(bytes, names_offset, names);
  bytes.resize(sections_offset, '\0');

  const auto section = [&](std::size_t index, std::uint64_t name, std::uint64_t type,
                           std::uint64_t at, std::uint64_t offset, std::uint64_t size) {
    const std::size_t s = sections_offset + index * section_entry;
    bytes.resize(s + section_entry, '\0');
    put(bytes, s, name, 4, big);
    put(bytes, s + 4, type, 4, big);
    put(bytes, s + (wide ? 16 : 12), at, word, big);
    put(bytes, s + (wide ? 24 : 16), offset, word, big);
    put(bytes, s + (wide ? 32 : 20), size, word, big);
  };
  section(0, 0, 0, 0, 0, 0);
  if (image.named_section) {
    section(1, 1, 1, address, kDataOffset, data.size());  // .go.buildinfo, PROGBITS
    section(2, 15, 3, 0, names_offset, names.size());     // .shstrtab, STRTAB
  }
  return bytes;
}

std::string make_macho(const GoImage& image, bool wide) {
  const std::size_t word = wide ? 8 : 4;
  const std::uint64_t base = wide ? kMachOBase : 0x1000;
  const std::uint64_t address = base + kDataOffset;
  const auto data = data_of(image, address, word, false);
  const std::size_t header = wide ? 32 : 28;
  const std::size_t segment = wide ? 72 : 56;
  const std::size_t section = wide ? 80 : 68;
  const std::size_t zero_command = segment;
  const std::size_t data_command = segment + (image.named_section ? section : 0);

  std::string bytes;
  put(bytes, 0, wide ? 0xfeedfacf : 0xfeedface, 4, false);
  put(bytes, 4, wide ? 0x01000007 : 7, 4, false);  // x86_64 / i386
  put(bytes, 12, 2, 4, false);                     // MH_EXECUTE
  put(bytes, 16, 2, 4, false);
  put(bytes, 20, zero_command + data_command, 4, false);
  bytes.resize(header, '\0');

  const auto segment_command = [&](std::size_t at, const std::string& name, std::uint64_t vm,
                                   std::uint64_t vm_size, std::uint64_t offset, std::uint64_t size,
                                   std::uint64_t protection, std::uint64_t sections,
                                   std::uint64_t command_size) {
    put(bytes, at, wide ? 0x19 : 0x1, 4, false);
    put(bytes, at + 4, command_size, 4, false);
    put_text(bytes, at + 8, name);
    put(bytes, at + 24, vm, word, false);
    put(bytes, at + 24 + word, vm_size, word, false);
    put(bytes, at + 24 + 2 * word, offset, word, false);
    put(bytes, at + 24 + 3 * word, size, word, false);
    put(bytes, at + 24 + 4 * word, protection, 4, false);
    put(bytes, at + 28 + 4 * word, protection, 4, false);
    put(bytes, at + 32 + 4 * word, sections, 4, false);
    bytes.resize(at + segment, '\0');
  };
  segment_command(header, "__PAGEZERO", 0, base, 0, 0, 0, 0, zero_command);
  const std::size_t data_at = header + zero_command;
  segment_command(data_at, "__DATA", address, data.size(), kDataOffset, data.size(), 3,
                  image.named_section ? 1 : 0, data_command);
  if (image.named_section) {
    const std::size_t s = data_at + segment;
    put_text(bytes, s, "__go_buildinfo");
    put_text(bytes, s + 16, "__DATA");
    put(bytes, s + 32, address, word, false);
    put(bytes, s + 32 + word, data.size(), word, false);
    put(bytes, s + 32 + 2 * word, kDataOffset, 4, false);
    bytes.resize(s + section, '\0');
  }
  bytes.resize(kDataOffset, '\0');
  return bytes + data;
}

std::string make_universal(const GoImage& image) {
  const auto thin = make_macho(image, true);
  constexpr std::size_t kSliceOffset = 0x1000;
  std::string bytes;
  put(bytes, 0, 0xcafebabe, 4, true);
  put(bytes, 4, 1, 4, true);
  put(bytes, 8, 0x01000007, 4, true);
  put(bytes, 12, 3, 4, true);
  put(bytes, 16, kSliceOffset, 4, true);
  put(bytes, 20, thin.size(), 4, true);
  put(bytes, 24, 12, 4, true);
  bytes.resize(kSliceOffset, '\0');
  return bytes + thin;
}

}  // namespace

std::string framed(const std::string& module_info) {
  // Stand-ins for cmd/go's infoStart and infoEnd (readers drop 16 bytes at each end).
  const std::string start(16, '\x30');
  const std::string end(16, '\xf9');
  return start + module_info + end;
}

std::string make_go_image(const GoImage& image) {
  switch (image.format) {
    case ImageFormat::kElf64:
    case ImageFormat::kElf32:
    case ImageFormat::kElf64BigEndian:
      return make_elf(image);
    case ImageFormat::kMachO64:
      return make_macho(image, true);
    case ImageFormat::kMachO32:
      return make_macho(image, false);
    case ImageFormat::kUniversal:
      return make_universal(image);
  }
  throw std::logic_error("unknown image format");
}

std::string istioctl_module_info(const std::string& extra_build_lines) {
  return "path\tistio.io/istio/istioctl/cmd/istioctl\n"
         "mod\tistio.io/istio\t(devel)\t\n"
         "dep\tgithub.com/spf13/cobra\tv1.8.1\th1:e5/vxKd/rZsfSJMUX1agtjeTDf+qv1/JdBF8gg5k9ZM=\n"
         "build\t-buildmode=exe\n"
         "build\t-compiler=gc\n"
         "build\t-ldflags=\"-X istio.io/istio/pkg/version.buildVersion=1.22.3 -s -w\"\n" +
         extra_build_lines + "build\tGOARCH=amd64\nbuild\tGOOS=linux\n";
}

}  // namespace getmesh::testing
