#include "validate/yaml_documents.hpp"

#include <getmesh/validate/load.hpp>

#include <yaml-cpp/yaml.h>

namespace getmesh::validate {

namespace {

// Converts yaml-cpp's graph into Nodes. Aliases make the graph a DAG that can expand exponentially
// ("billion laughs"), so conversion stops after `budget` values.
class Converter {
 public:
  Converter(int first_line, std::size_t budget) : first_line_(first_line), budget_(budget) {}

  // The line of the last failure.
  [[nodiscard]] int error_line() const { return error_line_; }

  Result<Node> convert(const YAML::Node& node, int depth) {
    const int line = first_line_ + node.Mark().line;
    if (depth > kMaxNesting) {
      error_line_ = line;
      return runtime_error("values nested deeper than " + std::to_string(kMaxNesting) + " levels");
    }
    if (budget_ == 0) {
      error_line_ = line;
      return runtime_error(
          "the document expands to more values than the file holds (YAML aliases repeating "
          "each other?)");
    }
    --budget_;
    switch (node.Type()) {
      case YAML::NodeType::Undefined:
      case YAML::NodeType::Null:
        return Node::null_at(line);
      case YAML::NodeType::Scalar:
        return Node::scalar(node.Scalar(), node.Tag() == "?", line);
      case YAML::NodeType::Sequence: {
        auto sequence = Node::sequence(line);
        for (const auto& item : node) {
          auto converted = convert(item, depth + 1);
          if (!converted) return converted;
          sequence.append(std::move(*converted));
        }
        return sequence;
      }
      case YAML::NodeType::Map: {
        auto map = Node::map(line);
        for (const auto& item : node) {
          if (!item.first.IsScalar()) {
            error_line_ = first_line_ + item.first.Mark().line;
            return runtime_error("a mapping key is not a string");
          }
          auto converted = convert(item.second, depth + 1);
          if (!converted) return converted;
          map.insert(item.first.Scalar(), std::move(*converted));
        }
        return map;
      }
    }
    return Node();
  }

 private:
  int first_line_;
  std::size_t budget_;
  int error_line_ = 0;
};

}  // namespace

Result<Node> parse_document(const DocumentText& document, int& error_line) {
  error_line = document.first_line;
  try {
    const auto root = YAML::Load(std::string(document.text));
    // Every value takes at least one byte of input unless aliases repeat it.
    Converter converter(document.first_line, document.text.size() + 16);
    auto converted = converter.convert(root, 0);
    if (!converted) error_line = converter.error_line();
    return converted;
  } catch (const YAML::Exception& error) {
    if (!error.mark.is_null()) error_line = document.first_line + error.mark.line;
    return runtime_error("invalid YAML: " +
                         (error.msg.empty() ? std::string(error.what()) : error.msg));
  }
}

}  // namespace getmesh::validate
