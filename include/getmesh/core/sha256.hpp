#pragma once

#include <getmesh/core/result.hpp>

#include <filesystem>
#include <string>
#include <string_view>

struct evp_md_ctx_st;

namespace getmesh {

// Incremental SHA-256 (OpenSSL EVP), for hashing an archive while it streams.
class Sha256 {
 public:
  Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  ~Sha256();

  void update(std::string_view data);
  // The digest of everything passed to update() since the last reset, as 64 lower-case hex digits.
  // Leaves the hasher reset.
  std::string finish();
  void reset();

 private:
  evp_md_ctx_st* context_;
};

// The SHA-256 of a file's content (read in 1 MiB pieces), as 64 lower-case hex digits.
Result<std::string> sha256_file(const std::filesystem::path& path);

}  // namespace getmesh
