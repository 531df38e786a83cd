// The Go build information blob, decoded as Go's debug/buildinfo does: a 32-byte header starting
// with "\xff Go buildinf:" on a 16-byte boundary near the start of the data, then the Go version
// and the module information, either inline as length-prefixed strings (Go 1.18 and later) or as
// pointers to Go string headers (Go 1.13 to 1.17).
#include "binary/byte_source.hpp"
#include "binary/layout.hpp"
#include "binary/printable.hpp"

#include <getmesh/binary/go_build_info.hpp>

#include <algorithm>

namespace getmesh::binary {

namespace {

constexpr std::string_view kMagic("\xff Go buildinf:", 14);
constexpr std::size_t kHeaderSize = 32;
constexpr std::size_t kAlignment = 16;
constexpr std::size_t kMaxData = std::size_t{4} << 20;        // searched for the blob
constexpr std::uint64_t kMaxString = std::uint64_t{1} << 20;  // a version or the module text
constexpr std::size_t kModuleFraming = 16;  // cmd/go's infoStart/infoEnd sentinels

Error not_go() {
  return runtime_error(
      "no Go build information in this executable (not built by Go 1.13 or later)");
}

Error damaged(const std::string& what) {
  return runtime_error("damaged Go build information: " + what);
}

// Go's binary.Uvarint: the value and the bytes it took; 0 bytes on truncation or overflow.
std::pair<std::uint64_t, std::size_t> uvarint(std::string_view bytes) {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < bytes.size() && i < 10; ++i) {
    const auto byte = static_cast<unsigned char>(bytes[i]);
    if (i == 9 && byte > 1) return {0, 0};
    value |= static_cast<std::uint64_t>(byte & 0x7f) << (7 * i);
    if (byte < 0x80) return {value, i + 1};
  }
  return {0, 0};
}

// A length-prefixed string at the front of `rest`, which is advanced past it.
std::optional<std::string> inline_string(std::string_view& rest) {
  const auto [length, used] = uvarint(rest);
  if (used == 0 || length > rest.size() - used) return std::nullopt;
  std::string text(rest.substr(used, static_cast<std::size_t>(length)));
  rest.remove_prefix(used + static_cast<std::size_t>(length));
  return text;
}

// A Go string header {data pointer, length} at `address`, and the bytes it points at.
std::optional<std::string> pointed_string(const ByteSource& bytes, const Layout& layout,
                                          std::uint64_t address, std::size_t pointer_size,
                                          bool big_endian) {
  const auto header = read_at(bytes, layout, address, 2 * pointer_size);
  if (!header || header->size() < 2 * pointer_size) return std::nullopt;
  const auto data = decode_uint(*header, 0, pointer_size, big_endian);
  const auto length = decode_uint(*header, pointer_size, pointer_size, big_endian);
  if (length > kMaxString) return std::nullopt;
  auto text = read_at(bytes, layout, data, static_cast<std::size_t>(length));
  if (!text || text->size() < length) return std::nullopt;
  return text;
}

// The blob's header within `data`: the first magic on a 16-byte boundary with a whole header.
std::optional<std::size_t> find_header(std::string_view data) {
  std::size_t from = 0;
  while (from < data.size()) {
    const auto found = data.find(kMagic, from);
    if (found == std::string_view::npos || data.size() - found < kHeaderSize) return std::nullopt;
    if (found % kAlignment == 0) return found;
    from = (found + kAlignment - 1) / kAlignment * kAlignment;
  }
  return std::nullopt;
}

// The module text without cmd/go's 16-byte sentinels; empty when they are not there.
std::string unframe(const std::string& module) {
  if (module.size() >= 2 * kModuleFraming + 1 &&
      module[module.size() - kModuleFraming - 1] == '\n') {
    return module.substr(kModuleFraming, module.size() - 2 * kModuleFraming);
  }
  return {};
}

Result<GoBuildInfo> decode(const ByteSource& bytes, const Layout& layout) {
  if (layout.data_size == 0) return not_go();
  const auto window = static_cast<std::size_t>(std::min<std::uint64_t>(layout.data_size, kMaxData));
  const auto data = read_at(bytes, layout, layout.data_address, window);
  if (!data) return not_go();
  const auto start = find_header(*data);
  if (!start) return not_go();
  const auto blob = std::string_view(*data).substr(*start);
  const auto pointer_size = static_cast<std::size_t>(static_cast<unsigned char>(blob[14]));
  const auto flags = static_cast<unsigned char>(blob[15]);

  std::optional<std::string> version;
  std::optional<std::string> module;
  if ((flags & 2) != 0) {
    auto rest = blob.substr(kHeaderSize);
    version = inline_string(rest);
    if (version) module = inline_string(rest);
    if (!module) return damaged("a string runs past the end of the data");
  } else {
    if (pointer_size != 4 && pointer_size != 8) return damaged("pointer size is not 4 or 8");
    const bool big_endian = flags != 0;
    const auto version_address = decode_uint(blob, 16, pointer_size, big_endian);
    const auto module_address = decode_uint(blob, 16 + pointer_size, pointer_size, big_endian);
    version = pointed_string(bytes, layout, version_address, pointer_size, big_endian);
    if (version) module = pointed_string(bytes, layout, module_address, pointer_size, big_endian);
    if (!module) return damaged("a string pointer leads outside the file");
  }
  if (version->empty()) return not_go();
  if (version->size() > 256) return damaged("the Go version is too long");
  GoBuildInfo info;
  info.go_version = printable(*version);
  parse_module_info(unframe(*module), info);
  return info;
}

}  // namespace

std::optional<std::string> GoBuildInfo::setting(std::string_view key) const {
  const auto found = std::find_if(settings.begin(), settings.end(),
                                  [&](const BuildSetting& entry) { return entry.key == key; });
  if (found == settings.end()) return std::nullopt;
  return found->value;
}

Result<GoBuildInfo> parse_go_build_info(std::string_view image) {
  const MemorySource bytes(image);
  auto layout = executable_layout(bytes);
  if (!layout) return layout.error();
  return decode(bytes, *layout);
}

Result<GoBuildInfo> read_go_build_info(const std::filesystem::path& file) {
  auto bytes = FileSource::open(file);
  if (!bytes) return bytes.error();
  auto layout = executable_layout(*bytes);
  if (!layout) return layout.error().with_context(file.string());
  auto info = decode(*bytes, *layout);
  if (!info) return info.error().with_context(file.string());
  return info;
}

}  // namespace getmesh::binary
