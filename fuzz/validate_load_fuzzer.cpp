// libFuzzer target: YAML text → objects → every check. Any crash, hang, leak or sanitizer report is
// a bug; input problems are expected and fine. Build and run with fuzz/run.sh.
#include <getmesh/validate/analyze.hpp>
#include <getmesh/validate/load.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace getmesh::validate;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  Loaded loaded;
  load_text(text, "fuzz.yaml", LoadOptions{}, loaded);
  AnalyzeOptions options;
  (void)analyze(loaded.resources, options);
  options.complete_kinds.set();
  (void)analyze(loaded.resources, options);
  return 0;
}
