#include <getmesh/core/base64.hpp>

namespace getmesh {

namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string encode(std::string_view data, std::string_view alphabet, bool pad) {
  std::string text;
  text.reserve((data.size() + 2) / 3 * 4);
  std::size_t i = 0;
  const auto byte = [&](std::size_t at) {
    return static_cast<unsigned>(static_cast<unsigned char>(data[at]));
  };
  for (; i + 2 < data.size(); i += 3) {
    const unsigned value = (byte(i) << 16) | (byte(i + 1) << 8) | byte(i + 2);
    text += alphabet[(value >> 18) & 63];
    text += alphabet[(value >> 12) & 63];
    text += alphabet[(value >> 6) & 63];
    text += alphabet[value & 63];
  }
  if (const auto rest = data.size() - i; rest > 0) {
    const unsigned value = (byte(i) << 16) | (rest == 2 ? byte(i + 1) << 8 : 0u);
    text += alphabet[(value >> 18) & 63];
    text += alphabet[(value >> 12) & 63];
    if (rest == 2) text += alphabet[(value >> 6) & 63];
    if (pad) text.append(rest == 2 ? 1 : 2, '=');
  }
  return text;
}

}  // namespace

std::string base64_encode(std::string_view data) { return encode(data, kAlphabet, true); }

std::string base64url_encode(std::string_view data) {
  return encode(data, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", false);
}

std::optional<std::string> base64_decode(std::string_view text) {
  std::string out;
  unsigned accumulator = 0;
  int bits = 0;
  bool padding = false;
  for (const char c : text) {
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
    if (c == '=') {
      padding = true;
      continue;
    }
    const auto position = kAlphabet.find(c);
    if (position == std::string_view::npos || padding) return std::nullopt;
    accumulator = (accumulator << 6) | static_cast<unsigned>(position);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((accumulator >> bits) & 0xFF);
    }
  }
  return out;
}

}  // namespace getmesh
