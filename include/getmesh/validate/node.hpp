#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace getmesh::validate {

// A parsed YAML value with the line it starts on: what the checks read instead of yaml-cpp nodes,
// so that walking a document never throws and never needs yaml-cpp's headers.
class Node {
 public:
  enum class Type { kNull, kScalar, kSequence, kMap };
  struct Entry;

  Node() = default;
  static Node null_at(int line);
  static Node scalar(std::string text, bool plain, int line);
  static Node sequence(int line);
  static Node map(int line);

  [[nodiscard]] Type type() const { return type_; }
  [[nodiscard]] bool is_null() const { return type_ == Type::kNull; }
  [[nodiscard]] bool is_scalar() const { return type_ == Type::kScalar; }
  [[nodiscard]] bool is_sequence() const { return type_ == Type::kSequence; }
  [[nodiscard]] bool is_map() const { return type_ == Type::kMap; }
  // 1-based line of the value in its file; 0 when unknown (objects read from a cluster).
  [[nodiscard]] int line() const { return line_; }
  // Unquoted scalars are the ones YAML may read as numbers or booleans.
  [[nodiscard]] bool plain() const { return plain_; }

  // The scalar text; empty for anything else.
  [[nodiscard]] const std::string& str() const { return text_; }
  // Plain integer scalars (what Kubernetes accepts for integer fields); nullopt otherwise.
  [[nodiscard]] std::optional<std::int64_t> as_int() const;
  [[nodiscard]] std::optional<double> as_number() const;
  [[nodiscard]] std::optional<bool> as_bool() const;

  // Map lookup: the value of `key`, or nullptr when this is not a map or has no such key.
  [[nodiscard]] const Node* find(std::string_view key) const;
  // Like find, but a shared null node when absent, so lookups chain: doc["spec"]["hosts"].
  const Node& operator[](std::string_view key) const;
  [[nodiscard]] bool has(std::string_view key) const { return find(key) != nullptr; }
  // Map entries in document order.
  [[nodiscard]] const std::vector<Entry>& entries() const;
  // Sequence items (entries with empty keys).
  [[nodiscard]] std::size_t size() const;
  [[nodiscard]] const Node& at(std::size_t index) const;
  // Iterates sequence items; nothing for other types.
  template <typename F>
  void for_each_item(F&& visit) const;
  // Scalar items of a sequence (non-scalars skipped).
  [[nodiscard]] std::vector<std::string> strings() const;
  // Scalar values of a map of strings (labels, annotations, selectors), in document order.
  [[nodiscard]] std::vector<std::pair<std::string, std::string>> string_map() const;
  // Empty null, empty sequence or empty map, or an empty scalar.
  [[nodiscard]] bool empty() const;

  void append(Node value);
  void insert(std::string key, Node value);

 private:
  Type type_ = Type::kNull;
  bool plain_ = true;
  int line_ = 0;
  std::string text_;
  std::vector<Entry> children_;
};

struct Node::Entry {
  std::string key;
  Node value;
};

inline const std::vector<Node::Entry>& Node::entries() const { return children_; }
inline std::size_t Node::size() const { return children_.size(); }

template <typename F>
void Node::for_each_item(F&& visit) const {
  if (type_ != Type::kSequence) return;
  for (const auto& entry : children_) visit(entry.value);
}

}  // namespace getmesh::validate
