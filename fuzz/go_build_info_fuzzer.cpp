// libFuzzer target: bytes → ELF/Mach-O layout → Go build information → FIPS module. Any crash,
// hang, leak, sanitizer report or outsized allocation is a bug; refusing the input is fine.
#include <getmesh/binary/go_build_info.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace getmesh::binary;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const auto info = parse_go_build_info(bytes);
  if (info) (void)fips_module(*info);
  GoBuildInfo text;
  parse_module_info(bytes, text);  // the module text parser alone, on arbitrary text
  return 0;
}
