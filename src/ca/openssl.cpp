#include "ca/openssl.hpp"

#include <climits>
#include <openssl/err.h>

namespace getmesh::ca::ossl {

std::string take_errors(std::string_view fallback) {
  std::string text;
  while (const unsigned long code = ERR_get_error()) {
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof buffer);
    if (!text.empty()) text += "; ";
    // "error:1E08010C:DECODER routines::unsupported" -> keep the readable tail.
    std::string_view line(buffer);
    if (const auto routines = line.find("routines::"); routines != std::string_view::npos) {
      line.remove_prefix(routines + 10);
    }
    text += line;
  }
  return text.empty() ? std::string(fallback) : text;
}

Error failure(const std::string& what) { return runtime_error(what + ": " + take_errors()); }

Bio memory_reader(std::string_view data) {
  const auto length =
      data.size() > static_cast<std::size_t>(INT_MAX) ? INT_MAX : static_cast<int>(data.size());
  return Bio(BIO_new_mem_buf(data.data(), length));
}

std::string contents(BIO* bio) {
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio, &data);
  return length > 0 ? std::string(data, static_cast<std::size_t>(length)) : std::string();
}

}  // namespace getmesh::ca::ossl
