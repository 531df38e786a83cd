#include <getmesh/core/strings.hpp>

#include <cctype>
#include <charconv>
#include <cstdio>
#include <iterator>

namespace getmesh {

std::vector<std::string> split(std::string_view text, char separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const auto end = text.find(separator, start);
    parts.emplace_back(text.substr(start, end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return parts;
}

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string joined;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) joined += separator;
    joined += parts[i];
  }
  return joined;
}

std::string_view trim(std::string_view text) {
  const auto is_space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

std::string to_lower(std::string_view text) {
  std::string lower(text);
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower;
}

std::optional<std::int64_t> parse_non_negative(std::string_view text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  std::int64_t value = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || value < 0) return std::nullopt;
  return value;
}

namespace {

void append_escaped_byte(std::string& out, unsigned char byte) {
  char escaped[8];
  std::snprintf(escaped, sizeof escaped, "\\x%02x", byte);
  out += escaped;
}

}  // namespace

std::string quote(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (byte < 0x20 || byte == 0x7f) {
      append_escaped_byte(out, byte);
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string escape_control(std::string_view text, bool single_line) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    const auto next = i + 1 < text.size() ? static_cast<unsigned char>(text[i + 1]) : 0;
    if ((byte < 0x20 && (single_line || (byte != '\n' && byte != '\t'))) || byte == 0x7f) {
      append_escaped_byte(out, byte);
    } else if (byte == 0xc2 && next >= 0x80 && next <= 0x9f) {  // U+0080..U+009F, e.g. CSI
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", next);
      out += escaped;
      ++i;
    } else {
      out += text[i];
    }
  }
  return out;
}

namespace {

bool is_token_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '+' || c == '/' || c == '=' ||
         c == '_' || c == '.' || c == '~' || c == '-';
}

// The length of the separator after a secret's keyword (`: "`, `=`, ` `) when it introduces a
// value, else 0.
std::size_t value_separator(std::string_view rest, bool space_is_enough) {
  std::size_t length = 0;
  bool assigns = space_is_enough;
  while (length < rest.size() &&
         (rest[length] == ' ' || rest[length] == '"' || rest[length] == '\'' ||
          rest[length] == ':' || rest[length] == '=')) {
    assigns = assigns || rest[length] == ':' || rest[length] == '=';
    ++length;
  }
  return assigns ? length : 0;
}

}  // namespace

std::string redact_secrets(std::string_view text) {
  static constexpr std::string_view kRedacted = "[redacted]";
  static constexpr std::pair<std::string_view, bool> kKeywords[] = {
      {"bearer", true}, {"token", false}, {"password", false}, {"secret", false}};
  // Values named by a keyword.
  const auto lower = to_lower(text);
  std::string named;
  for (std::size_t i = 0; i < text.size();) {
    std::size_t value_end = 0;
    for (const auto& [keyword, space_is_enough] : kKeywords) {
      if (lower.compare(i, keyword.size(), keyword) != 0) continue;
      const auto start =
          i + keyword.size() + value_separator(text.substr(i + keyword.size()), space_is_enough);
      if (start == i + keyword.size()) continue;
      auto end = start;
      while (end < text.size() && is_token_char(text[end])) ++end;
      if (end == start) continue;
      named.append(text.substr(i, start - i));
      named += kRedacted;
      value_end = end;
      break;
    }
    if (value_end > 0) {
      i = value_end;
    } else {
      named += text[i++];
    }
  }
  // Long runs that look random.
  std::string out;
  for (std::size_t i = 0; i < named.size();) {
    if (!is_token_char(named[i])) {
      out += named[i++];
      continue;
    }
    auto end = i;
    bool letters = false, digits = false;
    for (; end < named.size() && is_token_char(named[end]); ++end) {
      letters = letters || std::isalpha(static_cast<unsigned char>(named[end])) != 0;
      digits = digits || std::isdigit(static_cast<unsigned char>(named[end])) != 0;
    }
    if (end - i >= 24 && letters && digits) {
      out += kRedacted;
    } else {
      out.append(named, i, end - i);
    }
    i = end;
  }
  return out;
}

std::string describe_bytes(std::uint64_t bytes) {
  if (bytes < 1024) return std::to_string(bytes) + " B";
  static constexpr const char* kUnits[] = {"KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes) / 1024;
  std::size_t unit = 0;
  while (value >= 1024 && unit + 1 < std::size(kUnits)) {
    value /= 1024;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof text, "%.1f %s", value, kUnits[unit]);
  return text;
}

std::string describe_duration(std::chrono::milliseconds duration) {
  const auto count = duration.count();
  if (count > 0 && count % 60000 == 0) return std::to_string(count / 60000) + " min";
  if (count % 1000 == 0) return std::to_string(count / 1000) + " s";
  return std::to_string(count) + " ms";
}

bool is_hex(std::string_view text) {
  for (const char c : text) {
    if (std::isxdigit(static_cast<unsigned char>(c)) == 0) return false;
  }
  return !text.empty();
}

}  // namespace getmesh
