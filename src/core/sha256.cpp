#include <getmesh/core/fs.hpp>
#include <getmesh/core/sha256.hpp>

#include <openssl/evp.h>

#include <cerrno>
#include <fcntl.h>
#include <stdexcept>
#include <unistd.h>
#include <vector>

namespace getmesh {

namespace {

// OpenSSL only fails here on allocation failure or a broken library: a bug, not an input error.
void check_openssl(int result, const char* what) {
  if (result != 1) throw std::runtime_error(std::string("OpenSSL SHA-256: ") + what + " failed");
}

}  // namespace

Sha256::Sha256() : context_(EVP_MD_CTX_new()) {
  if (context_ == nullptr) throw std::bad_alloc();
  reset();
}

Sha256::~Sha256() { EVP_MD_CTX_free(context_); }

void Sha256::reset() { check_openssl(EVP_DigestInit_ex(context_, EVP_sha256(), nullptr), "init"); }

void Sha256::update(std::string_view data) {
  check_openssl(EVP_DigestUpdate(context_, data.data(), data.size()), "update");
}

std::string Sha256::finish() {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  check_openssl(EVP_DigestFinal_ex(context_, digest, &length), "final");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text;
  text.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    text += kHex[digest[i] >> 4];
    text += kHex[digest[i] & 0x0f];
  }
  reset();
  return text;
}

Result<std::string> sha256_file(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return runtime_error("cannot read " + path.string() + ": " + errno_text(errno));
  Sha256 hasher;
  std::vector<char> buffer(std::size_t{1} << 20);
  while (true) {
    const auto count = ::read(fd, buffer.data(), buffer.size());
    if (count < 0 && errno == EINTR) continue;
    if (count < 0) {
      const int error = errno;
      ::close(fd);
      return runtime_error("cannot read " + path.string() + ": " + errno_text(error));
    }
    if (count == 0) break;
    hasher.update(std::string_view(buffer.data(), static_cast<std::size_t>(count)));
  }
  ::close(fd);
  return hasher.finish();
}

}  // namespace getmesh
