#pragma once

#include <getmesh/core/result.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace getmesh::binary {

// Random access to an executable's bytes, one bounded piece at a time.
class ByteSource {
 public:
  ByteSource() = default;
  ByteSource(const ByteSource&) = delete;
  ByteSource& operator=(const ByteSource&) = delete;
  virtual ~ByteSource() = default;

  [[nodiscard]] virtual std::uint64_t size() const = 0;
  // Exactly `length` bytes at `offset`; empty when the range is not inside the source or the read
  // fails.
  [[nodiscard]] virtual std::optional<std::string> read(std::uint64_t offset,
                                                        std::size_t length) const = 0;
};

// Bytes held by the caller (the fuzz target, tests).
class MemorySource final : public ByteSource {
 public:
  explicit MemorySource(std::string_view bytes) : bytes_(bytes) {}
  [[nodiscard]] std::uint64_t size() const override { return bytes_.size(); }
  [[nodiscard]] std::optional<std::string> read(std::uint64_t offset,
                                                std::size_t length) const override;

 private:
  std::string_view bytes_;
};

// A file read with pread(2); it is never loaded whole.
class FileSource final : public ByteSource {
 public:
  static Result<FileSource> open(const std::filesystem::path& path);
  FileSource(FileSource&& other) noexcept;
  FileSource& operator=(FileSource&&) = delete;
  ~FileSource() override;

  [[nodiscard]] std::uint64_t size() const override { return size_; }
  [[nodiscard]] std::optional<std::string> read(std::uint64_t offset,
                                                std::size_t length) const override;

 private:
  FileSource(int fd, std::uint64_t size) : fd_(fd), size_(size) {}
  int fd_ = -1;
  std::uint64_t size_ = 0;
};

// True when [offset, offset + length) lies inside [0, size) without overflowing.
inline bool in_range(std::uint64_t offset, std::uint64_t length, std::uint64_t size) {
  return offset <= size && length <= size - offset;
}

}  // namespace getmesh::binary
