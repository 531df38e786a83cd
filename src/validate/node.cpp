#include <getmesh/validate/node.hpp>

#include <charconv>
#include <cmath>
#include <cstdlib>

namespace getmesh::validate {

Node Node::null_at(int line) {
  Node node;
  node.line_ = line;
  return node;
}

Node Node::scalar(std::string text, bool plain, int line) {
  Node node;
  node.type_ = Type::kScalar;
  node.text_ = std::move(text);
  node.plain_ = plain;
  node.line_ = line;
  return node;
}

Node Node::sequence(int line) {
  Node node;
  node.type_ = Type::kSequence;
  node.line_ = line;
  return node;
}

Node Node::map(int line) {
  Node node;
  node.type_ = Type::kMap;
  node.line_ = line;
  return node;
}

std::optional<std::int64_t> Node::as_int() const {
  if (type_ != Type::kScalar || !plain_ || text_.empty()) return std::nullopt;
  std::int64_t value = 0;
  const char* begin = text_.data();
  const char* end = begin + text_.size();
  if (*begin == '+') ++begin;
  const auto [rest, error] = std::from_chars(begin, end, value);
  if (error != std::errc() || rest != end) return std::nullopt;
  return value;
}

std::optional<double> Node::as_number() const {
  if (auto integer = as_int()) return static_cast<double>(*integer);
  if (type_ != Type::kScalar || !plain_ || text_.empty()) return std::nullopt;
  char* end = nullptr;
  const double value = std::strtod(text_.c_str(), &end);
  if (end != text_.c_str() + text_.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

std::optional<bool> Node::as_bool() const {
  if (type_ != Type::kScalar || !plain_) return std::nullopt;
  if (text_ == "true" || text_ == "True" || text_ == "TRUE") return true;
  if (text_ == "false" || text_ == "False" || text_ == "FALSE") return false;
  return std::nullopt;
}

const Node* Node::find(std::string_view key) const {
  if (type_ != Type::kMap) return nullptr;
  for (const auto& entry : children_) {
    if (entry.key == key) return &entry.value;
  }
  return nullptr;
}

const Node& Node::operator[](std::string_view key) const {
  static const Node kNull;
  const Node* found = find(key);
  return found != nullptr ? *found : kNull;
}

const Node& Node::at(std::size_t index) const {
  static const Node kNull;
  return index < children_.size() ? children_[index].value : kNull;
}

std::vector<std::string> Node::strings() const {
  std::vector<std::string> result;
  for_each_item([&](const Node& item) {
    if (item.is_scalar()) result.push_back(item.str());
  });
  return result;
}

std::vector<std::pair<std::string, std::string>> Node::string_map() const {
  std::vector<std::pair<std::string, std::string>> result;
  if (type_ != Type::kMap) return result;
  for (const auto& entry : children_) {
    if (entry.value.is_scalar()) result.emplace_back(entry.key, entry.value.str());
    if (entry.value.is_null()) result.emplace_back(entry.key, "");
  }
  return result;
}

bool Node::empty() const {
  switch (type_) {
    case Type::kNull:
      return true;
    case Type::kScalar:
      return text_.empty();
    case Type::kSequence:
    case Type::kMap:
      return children_.empty();
  }
  return true;
}

void Node::append(Node value) { children_.push_back(Entry{{}, std::move(value)}); }

void Node::insert(std::string key, Node value) {
  children_.push_back(Entry{std::move(key), std::move(value)});
}

}  // namespace getmesh::validate
