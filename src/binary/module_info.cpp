// Go's module information text (runtime/debug.BuildInfo.String) and the quoting rules of its
// `build` lines: keys and values holding spaces, tabs, quotes or '=' are Go-quoted strings.
#include "binary/printable.hpp"

#include <getmesh/binary/go_build_info.hpp>
#include <getmesh/core/strings.hpp>

#include <optional>

namespace getmesh::binary {

namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void append_utf8(std::string& out, std::uint32_t code) {
  if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) code = 0xfffd;
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xc0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3f));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xe0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (code & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (code >> 18));
    out += static_cast<char>(0x80 | ((code >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (code & 0x3f));
  }
}

// `count` digits of `base` at `text[at]`, as a number; empty when they are not all there.
std::optional<std::uint32_t> digits(std::string_view text, std::size_t at, std::size_t count,
                                    int base) {
  if (at > text.size() || count > text.size() - at) return std::nullopt;
  std::uint32_t value = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const int digit = hex_digit(text[at + i]);
    if (digit < 0 || digit >= base) return std::nullopt;
    value = value * static_cast<std::uint32_t>(base) + static_cast<std::uint32_t>(digit);
  }
  return value;
}

// The Go-quoted string at the front of `text` ("…" with escapes, or `…`), and how many bytes it
// took; empty when it is not a complete quoted string.
std::optional<std::pair<std::string, std::size_t>> unquote_prefix(std::string_view text) {
  if (text.empty()) return std::nullopt;
  if (text.front() == '`') {
    const auto end = text.find('`', 1);
    if (end == std::string_view::npos) return std::nullopt;
    return std::pair{std::string(text.substr(1, end - 1)), end + 1};
  }
  if (text.front() != '"') return std::nullopt;
  std::string out;
  std::size_t i = 1;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '"') return std::pair{out, i + 1};
    if (c != '\\') {
      out += c;
      ++i;
      continue;
    }
    if (i + 1 >= text.size()) return std::nullopt;
    const char escape = text[i + 1];
    static constexpr std::string_view kSimple = "abfnrtv\\\"";
    static constexpr std::string_view kMeaning = "\a\b\f\n\r\t\v\\\"";
    if (const auto simple = kSimple.find(escape); simple != std::string_view::npos) {
      out += kMeaning[simple];
      i += 2;
      continue;
    }
    std::optional<std::uint32_t> value;
    std::size_t length = 0;
    bool byte = false;
    if (escape == 'x') {
      value = digits(text, i + 2, 2, 16), length = 4, byte = true;
    } else if (escape == 'u') {
      value = digits(text, i + 2, 4, 16), length = 6;
    } else if (escape == 'U') {
      value = digits(text, i + 2, 8, 16), length = 10;
    } else if (escape >= '0' && escape <= '7') {
      value = digits(text, i + 1, 3, 8), length = 4, byte = true;
    }
    if (!value || (byte && *value > 0xff)) return std::nullopt;
    if (byte) {
      out += static_cast<char>(*value);
    } else {
      append_utf8(out, *value);
    }
    i += length;
  }
  return std::nullopt;
}

// "KEY=VALUE" of a `build` line, either part possibly quoted.
std::optional<BuildSetting> parse_setting(std::string_view text) {
  if (text.empty() || text.front() == '=') return std::nullopt;
  BuildSetting setting;
  std::string_view raw_value;
  if (text.front() == '"' || text.front() == '`') {
    const auto key = unquote_prefix(text);
    if (!key || key->second >= text.size() || text[key->second] != '=') return std::nullopt;
    setting.key = key->first;
    raw_value = text.substr(key->second + 1);
  } else {
    const auto equals = text.find('=');
    if (equals == std::string_view::npos) return std::nullopt;
    setting.key = std::string(text.substr(0, equals));
    raw_value = text.substr(equals + 1);
  }
  if (!raw_value.empty() && (raw_value.front() == '"' || raw_value.front() == '`')) {
    const auto value = unquote_prefix(raw_value);
    if (!value || value->second != raw_value.size()) return std::nullopt;
    setting.value = value->first;
  } else {
    setting.value = std::string(raw_value);
  }
  setting.key = printable(setting.key);
  setting.value = printable(setting.value);
  return setting;
}

}  // namespace

void parse_module_info(std::string_view text, GoBuildInfo& info) {
  for (const auto& line : split(text, '\n')) {
    const auto tab = line.find('\t');
    if (tab == std::string::npos) continue;
    const auto kind = std::string_view(line).substr(0, tab);
    const auto rest = std::string_view(line).substr(tab + 1);
    if (kind == "path") {
      info.path = printable(rest);
    } else if (kind == "mod") {
      const auto fields = split(rest, '\t');
      info.module_path = printable(fields.at(0));
      info.module_version = fields.size() > 1 ? printable(fields[1]) : std::string();
    } else if (kind == "build") {
      if (auto setting = parse_setting(rest)) info.settings.push_back(std::move(*setting));
    }
  }
}

}  // namespace getmesh::binary
