#include "validate/schema/rules.hpp"

#include <getmesh/core/strings.hpp>

#include <arpa/inet.h>
#include <cmath>
#include <re2/re2.h>
#include <set>

namespace getmesh::validate::schema {

namespace {

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool is_label(std::string_view text) {
  if (text.empty() || text.size() > 63 || !is_alnum(text.front()) || !is_alnum(text.back())) {
    return false;
  }
  for (const char c : text) {
    if (!is_alnum(c) && c != '-') return false;
  }
  return true;
}

std::optional<std::string> labels_problem(std::string_view text, std::string_view whole) {
  if (text.ends_with(".")) text.remove_suffix(1);
  const auto labels = split(text, '.');
  for (const auto& label : labels) {
    if (!is_label(label))
      return "domain name " + quote(whole) + " invalid (label " + quote(label) + " invalid)";
  }
  const auto& top = labels.back();
  if (!top.empty() && top.find_first_not_of("0123456789") == std::string::npos) {
    return "domain name " + quote(whole) + " invalid (top level domain " + quote(top) +
           " cannot be all-numeric)";
  }
  return std::nullopt;
}

// A qualified name: [A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?, at most 63 characters.
bool is_qualified_name(std::string_view text) {
  if (text.empty() || text.size() > 63 || !is_alnum(text.front()) || !is_alnum(text.back())) {
    return false;
  }
  for (const char c : text) {
    if (!is_alnum(c) && c != '-' && c != '_' && c != '.') return false;
  }
  return true;
}

}  // namespace

std::optional<std::string> dns1123_label_problem(std::string_view text) {
  if (is_label(text)) return std::nullopt;
  return quote(text) + " is not a valid DNS-1123 label (letters, digits and '-', at most 63)";
}

std::optional<std::string> fqdn_problem(std::string_view text) {
  if (text.empty()) return std::string("empty domain name not allowed");
  if (text.size() > 255) return "domain name " + quote(text) + " too long (max 255)";
  return labels_problem(text, text);
}

std::optional<std::string> wildcard_domain_problem(std::string_view text) {
  if (text.empty()) return std::string("empty domain name not allowed");
  if (text.size() > 255) return "domain name " + quote(text) + " too long (max 255)";
  const auto dot = text.find('.');
  auto first = text.substr(0, dot);
  bool valid = first == "*";
  if (!valid) {
    if (first.starts_with("*-")) {
      first.remove_prefix(2);
    } else if (first.starts_with("*")) {
      first.remove_prefix(1);
    }
    valid = is_label(first);
  }
  if (!valid) {
    return "domain name " + quote(text) + " invalid (label " + quote(text.substr(0, dot)) +
           " invalid)";
  }
  if (dot == std::string_view::npos) return std::nullopt;
  return labels_problem(text.substr(dot + 1), text);
}

std::optional<std::string> duration_problem(std::string_view text) {
  if (text.empty()) return std::string("invalid duration \"\"");
  long double total = 0;
  std::string_view rest = text;
  if (rest == "0") return std::string("duration must be at least 1ms");
  while (!rest.empty()) {
    std::size_t digits = 0;
    while (digits < rest.size() &&
           (std::isdigit(static_cast<unsigned char>(rest[digits])) != 0 || rest[digits] == '.')) {
      ++digits;
    }
    if (digits == 0) return "invalid duration " + quote(text) + " (use e.g. 500ms, 1.5s, 2m, 1h)";
    const std::string number(rest.substr(0, digits));
    rest.remove_prefix(digits);
    std::size_t unit_length = 0;
    while (unit_length < rest.size() &&
           std::isalpha(static_cast<unsigned char>(rest[unit_length])) != 0) {
      ++unit_length;
    }
    const auto unit = rest.substr(0, unit_length);
    rest.remove_prefix(unit_length);
    long double scale = 0;
    if (unit == "ns") scale = 1;
    if (unit == "us") scale = 1e3L;
    if (unit == "ms") scale = 1e6L;
    if (unit == "s") scale = 1e9L;
    if (unit == "m") scale = 60e9L;
    if (unit == "h") scale = 3600e9L;
    if (scale == 0 || number == "." || std::count(number.begin(), number.end(), '.') > 1) {
      return "invalid duration " + quote(text) + " (use e.g. 500ms, 1.5s, 2m, 1h)";
    }
    total += std::strtold(number.c_str(), nullptr) * scale;
  }
  if (total < 1e6L - 0.5L) return "duration " + quote(text) + " must be at least 1ms";
  const long double remainder = std::fmod(total, 1e6L);
  if (remainder > 0.5L && remainder < 1e6L - 0.5L) {
    return "duration " + quote(text) + " must be a whole number of milliseconds";
  }
  return std::nullopt;
}

std::optional<std::string> regex_problem(std::string_view text) {
  if (text.size() > 1024) return std::string("regex is longer than 1024 characters");
  RE2::Options options;
  options.set_log_errors(false);
  const RE2 compiled(re2::StringPiece(text.data(), text.size()), options);
  if (compiled.ok()) return std::nullopt;
  return "invalid regex " + quote(text) + ": " + compiled.error();
}

std::optional<std::string> label_key_problem(std::string_view text) {
  const auto slash = text.find('/');
  auto name = text;
  if (slash != std::string_view::npos) {
    const auto prefix = text.substr(0, slash);
    name = text.substr(slash + 1);
    if (prefix.empty() || prefix.size() > 253 || labels_problem(prefix, prefix)) {
      return "label key " + quote(text) + " has an invalid prefix (a DNS subdomain)";
    }
  }
  if (!is_qualified_name(name)) {
    return "label key " + quote(text) +
           " is invalid (alphanumerics, '-', '_' or '.', starting and ending alphanumeric, at most "
           "63)";
  }
  return std::nullopt;
}

std::optional<std::string> label_value_problem(std::string_view text) {
  if (text.empty() || is_qualified_name(text)) return std::nullopt;
  return "label value " + quote(text) +
         " is invalid (alphanumerics, '-', '_' or '.', starting and ending alphanumeric, at most "
         "63)";
}

bool is_ip(std::string_view text) {
  const std::string value(text);
  unsigned char buffer[16];
  return ::inet_pton(AF_INET, value.c_str(), buffer) == 1 ||
         ::inet_pton(AF_INET6, value.c_str(), buffer) == 1;
}

std::string to_upper_ascii(std::string_view text) {
  std::string upper(text);
  for (auto& c : upper) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return upper;
}

bool is_cidr(std::string_view text) {
  const auto slash = text.find('/');
  if (slash == std::string_view::npos) return false;
  const auto address = text.substr(0, slash);
  const auto bits = parse_non_negative(text.substr(slash + 1));
  if (!bits || !is_ip(address)) return false;
  const bool v6 = address.find(':') != std::string_view::npos;
  return *bits <= (v6 ? 128 : 32);
}

void check_port_number(Report& report, const Node& port, std::string_view path) {
  if (port.is_null()) return;
  const auto number = port.as_int();
  if (!number || *number < 1 || *number > 65535) {
    report.error(port, path, "port number " + quote(port.str()) + " must be in the range 1..65535");
  }
}

void check_duration(Report& report, const Node& value, std::string_view path) {
  if (value.is_null()) return;
  if (auto problem = duration_problem(value.str())) report.error(value, path, *problem);
}

void check_percent(Report& report, const Node& value, std::string_view path) {
  if (value.is_null()) return;
  const auto number = value.as_number();
  if (!number || *number < 0 || *number > 100) {
    report.error(value, path, "percentage " + quote(value.str()) + " must be in the range 0..100");
  }
}

void check_regex(Report& report, const Node& value, std::string_view path) {
  if (!value.is_scalar()) return;
  if (auto problem = regex_problem(value.str())) report.error(value, path, *problem);
}

void check_labels(Report& report, const Node& labels, std::string_view path) {
  for (const auto& entry : labels.entries()) {
    const auto entry_path = std::string(path) + "." + entry.key;
    if (auto problem = label_key_problem(entry.key))
      report.error(entry.value, entry_path, *problem);
    if (auto problem = label_value_problem(entry.value.str())) {
      report.error(entry.value, entry_path, *problem);
    }
  }
}

void check_selector(Report& report, const Node& selector, std::string_view path) {
  if (selector.is_null()) return;
  if (selector.empty()) {
    report.warning(
        selector, path,
        "an empty selector selects every workload of the namespace; remove it or add labels");
    return;
  }
  for (const auto& entry : selector.entries()) {
    const auto entry_path = std::string(path) + "." + entry.key;
    if (entry.key.empty())
      report.error(entry.value, entry_path, "empty key not allowed in selector");
    if (entry.key.find('*') != std::string::npos ||
        entry.value.str().find('*') != std::string::npos) {
      report.error(entry.value, entry_path, "wildcard not allowed in selector (" + entry.key + ")");
    }
  }
  check_labels(report, selector, path);
}

void check_export_to(Report& report, const Node& export_to, std::string_view path,
                     bool allow_none) {
  std::set<std::string> seen;
  const auto own = report.resource().namespace_;
  std::size_t index = 0;
  export_to.for_each_item([&](const Node& entry) {
    const auto entry_path = item(path, index++);
    const auto& value = entry.str();
    const auto normalised = value == "." ? own : value;
    if (!seen.insert(normalised).second) {
      report.error(entry, entry_path, "duplicate entry in exportTo: " + quote(value));
    }
    if (value == "~" && !allow_none) {
      report.error(entry, entry_path, "\"~\" is not allowed in exportTo of this kind");
    } else if (value != "." && value != "*" && value != "~" && dns1123_label_problem(value)) {
      report.error(entry, entry_path,
                   "exportTo entry " + quote(value) + " is not \".\", \"*\" or a namespace name");
    }
  });
  if (export_to.size() > 1 && (seen.contains("*") || seen.contains("~"))) {
    report.error(export_to, path, "\"*\" and \"~\" must be the only entry of exportTo");
  }
}

bool is_known_protocol(std::string_view protocol) {
  static const std::set<std::string, std::less<>> kProtocols = {
      "http",  "https", "grpc",  "grpc-web", "http2", "http_proxy",
      "mongo", "redis", "mysql", "tcp",      "tls",   "udp"};
  return kProtocols.contains(to_lower(protocol));
}

void check_policy_target(Report& report, const Node& spec, std::string_view selector_field) {
  const int set = static_cast<int>(spec.has(selector_field)) +
                  static_cast<int>(spec.has("targetRef")) +
                  static_cast<int>(spec.has("targetRefs"));
  if (set > 1) {
    report.error(
        spec, "spec",
        "only one of " + std::string(selector_field) + ", targetRef or targetRefs may be set");
  }
  check_selector(report, spec[selector_field]["matchLabels"],
                 "spec." + std::string(selector_field) + ".matchLabels");
  const auto check_ref = [&](const Node& ref, const std::string& path) {
    if (ref["name"].empty()) report.error(ref, path + ".name", "targetRef needs a name");
    if (ref["kind"].empty()) report.error(ref, path + ".kind", "targetRef needs a kind");
    if (!ref["namespace"].empty()) {
      report.error(
          ref["namespace"], path + ".namespace",
          "targetRef cannot name another namespace; policies apply in their own namespace");
    }
  };
  if (spec["targetRef"].is_map()) check_ref(spec["targetRef"], "spec.targetRef");
  std::size_t index = 0;
  spec["targetRefs"].for_each_item(
      [&](const Node& ref) { check_ref(ref, item("spec.targetRefs", index++)); });
}

}  // namespace getmesh::validate::schema
