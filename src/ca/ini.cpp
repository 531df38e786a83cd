#include "ca/ini.hpp"

#include <getmesh/core/strings.hpp>

namespace getmesh::ca {

IniSections parse_ini(std::string_view text) {
  IniSections sections;
  std::map<std::string, std::string>* current = nullptr;
  for (auto line : split(text, '\n')) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line.front() == ' ' || line.front() == '\t') continue;
    const auto content = trim(line);
    if (content.empty() || content.front() == '#' || content.front() == ';') continue;
    if (content.front() == '[' && content.back() == ']') {
      current = &sections[std::string(trim(content.substr(1, content.size() - 2)))];
      continue;
    }
    const auto equals = content.find('=');
    if (current == nullptr || equals == std::string_view::npos) continue;
    (*current)[to_lower(trim(content.substr(0, equals)))] =
        std::string(trim(content.substr(equals + 1)));
  }
  return sections;
}

}  // namespace getmesh::ca
