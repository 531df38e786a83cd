#include "support/mirror.hpp"

#include <getmesh/core/platform.hpp>

#include <nlohmann/json.hpp>
#include <openssl/evp.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <random>
#include <stdexcept>
#include <zlib.h>

namespace getmesh::testing {

namespace {

// A 512-byte ustar header; paths are stored as given (up to 100 bytes), hostile ones included.
std::string tar_header(const ArchiveMember& member) {
  if (member.path.size() > 100 || member.link_target.size() > 100) {
    throw std::invalid_argument("make_tar_gz: paths are limited to 100 bytes");
  }
  std::string header(512, '\0');
  const auto put = [&](std::size_t offset, const std::string& value) {
    header.replace(offset, value.size(), value);
  };
  const auto octal = [&](std::size_t offset, std::size_t width, std::uint64_t value) {
    char text[32];
    std::snprintf(text, sizeof text, "%0*llo", static_cast<int>(width - 1),
                  static_cast<unsigned long long>(value));
    put(offset, text);
  };
  const bool file = member.type == ArchiveMember::Type::kFile;
  put(0, member.path);
  octal(100, 8, static_cast<std::uint64_t>(member.mode));
  octal(108, 8, 0);
  octal(116, 8, 0);
  octal(124, 12, file ? member.content.size() : 0);
  octal(136, 12, 1700000000);
  const char type[] = {'0', '5', '2', '1'};
  header[156] = type[static_cast<int>(member.type)];
  put(157, member.link_target);
  put(257, "ustar");
  put(263, "00");
  header.replace(148, 8, 8, ' ');
  std::uint64_t sum = 0;
  for (const char byte : header) sum += static_cast<unsigned char>(byte);
  char checksum[8];
  std::snprintf(checksum, sizeof checksum, "%06llo", static_cast<unsigned long long>(sum));
  header.replace(148, 7, checksum, 7);
  return header;
}

std::string gzip(const std::string& data) {
  z_stream stream{};
  if (deflateInit2(&stream, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("deflateInit2 failed");
  }
  std::string output(deflateBound(&stream, static_cast<uLong>(data.size())), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(output.data());
  stream.avail_out = static_cast<uInt>(output.size());
  const int status = deflate(&stream, Z_FINISH);
  output.resize(stream.total_out);
  deflateEnd(&stream);
  if (status != Z_STREAM_END) throw std::runtime_error("deflate failed");
  return output;
}

void write_file(const std::filesystem::path& path, std::string_view content) {
  std::ofstream(path, std::ios::binary)
      .write(content.data(), static_cast<std::streamsize>(content.size()));
}

}  // namespace

std::string random_bytes(std::size_t size) {
  std::mt19937_64 generator(42);
  std::string bytes(size, '\0');
  for (auto& byte : bytes) byte = static_cast<char>(generator());
  return bytes;
}

std::string make_tar_gz(const std::vector<ArchiveMember>& members) {
  std::string tar;
  for (const auto& member : members) {
    tar += tar_header(member);
    if (member.type == ArchiveMember::Type::kFile) {
      tar += member.content;
      tar.append((512 - member.content.size() % 512) % 512, '\0');
    }
  }
  tar.append(1024, '\0');
  return gzip(tar);
}

std::string fake_istioctl(const std::string& version) {
  return "#!/bin/sh\necho \"client version: " + version + "\"\n";
}

std::string sha256_hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text;
  for (unsigned int i = 0; i < length; ++i) {
    text += kHex[digest[i] >> 4];
    text += kHex[digest[i] & 0x0f];
  }
  return text;
}

std::string MirrorDistribution::name() const {
  return version + "-" + flavor + "-v" + std::to_string(flavor_version);
}

std::string TestMirror::archive_name(const std::string& name) {
  return "istio-" + name + "-" + Platform::host().archive_suffix() + ".tar.gz";
}

TestMirror::TestMirror(std::filesystem::path directory,
                       std::vector<MirrorDistribution> distributions)
    : directory_(std::move(directory)) {
  std::filesystem::create_directories(directory_);
  auto list = nlohmann::json::array();
  for (const auto& distribution : distributions) {
    std::string bytes;
    if (distribution.archive) {
      bytes = *distribution.archive;
    } else {
      const auto prefix =
          distribution.release_layout ? "istio-" + distribution.version + "/bin/" : std::string();
      std::vector<ArchiveMember> members{
          ArchiveMember::file(prefix + "istioctl", fake_istioctl(distribution.version))};
      if (distribution.padding_bytes > 0) {
        members.push_back(
            ArchiveMember::file("padding.bin", random_bytes(distribution.padding_bytes)));
      }
      bytes = make_tar_gz(members);
    }
    const auto file = archive_name(distribution.name());
    write_file(directory_ / file, bytes);
    const auto digest = sha256_hex(bytes);
    if (distribution.sha256_file)
      write_file(directory_ / (file + ".sha256"), digest + "  " + file + "\n");
    nlohmann::json entry = {{"version", distribution.version},
                            {"flavor", distribution.flavor},
                            {"flavor_version", distribution.flavor_version},
                            {"k8s_versions", {"1.31", "1.32"}},
                            {"release_notes", nlohmann::json::array()},
                            {"is_security_patch", false}};
    if (distribution.sha256_in_manifest) {
      entry["downloads"] = {{Platform::host().key(), {{"sha256", digest}}}};
    }
    list.push_back(entry);
  }
  const nlohmann::json document = {{"default_flavor", "istio"}, {"istio_distributions", list}};
  write_file(manifest(), document.dump(2));
}

}  // namespace getmesh::testing
