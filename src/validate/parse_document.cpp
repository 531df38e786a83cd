#include "validate/yaml_documents.hpp"

#include <getmesh/validate/load.hpp>

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

#include <sstream>
#include <unordered_map>

namespace getmesh::validate {

namespace {

// Builds Nodes straight from yaml-cpp's parse events (no intermediate node graph). Guards: nesting
// deeper than kMaxNesting, and aliases expanding beyond `budget` values ("billion laughs").
class Builder : public YAML::EventHandler {
 public:
  Builder(int first_line, std::size_t budget) : first_line_(first_line), budget_(budget) {}

  void OnDocumentStart(const YAML::Mark& /*mark*/) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    add(Node::null_at(line(mark)), anchor, 1);
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    const auto found = anchors_.find(anchor);
    if (found == anchors_.end()) return fail(line(mark), "an alias refers to an unknown anchor");
    add(found->second.node, 0, found->second.size);
  }
  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    add(Node::scalar(value, tag == "?", line(mark)), anchor, 1);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string& /*tag*/, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value /*style*/) override {
    open(Node::sequence(line(mark)), anchor);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string& /*tag*/, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value /*style*/) override {
    open(Node::map(line(mark)), anchor);
  }
  void OnMapEnd() override { close(); }

  // The documents built so far, or the first failure and its line.
  Result<std::vector<Node>> take(int& error_line) {
    if (!error_.empty()) {
      error_line = error_line_;
      return runtime_error(error_);
    }
    return std::move(documents_);
  }

 private:
  struct Frame {
    Node node;
    YAML::anchor_t anchor = 0;
    std::size_t first_count = 0;  // values counted before this one opened
    bool has_key = false;
    std::string key;
  };
  struct Anchored {
    Node node;
    std::size_t size = 0;
  };

  [[nodiscard]] int line(const YAML::Mark& mark) const { return first_line_ + mark.line; }

  void fail(int at, std::string message) {
    if (!error_.empty()) return;
    error_ = std::move(message);
    error_line_ = at;
    stack_.clear();
  }

  bool charge(std::size_t values, int at) {
    if (values > budget_) {
      fail(at,
           "the document expands to more values than the file holds (YAML aliases repeating each "
           "other?)");
      return false;
    }
    budget_ -= values;
    count_ += values;
    return true;
  }

  void open(Node node, YAML::anchor_t anchor) {
    if (!error_.empty()) return;
    if (stack_.size() >= static_cast<std::size_t>(kMaxNesting)) {
      return fail(node.line(),
                  "values nested deeper than " + std::to_string(kMaxNesting) + " levels");
    }
    if (!charge(1, node.line())) return;
    stack_.push_back({std::move(node), anchor, count_ - 1, false, {}});
  }

  void close() {
    if (!error_.empty() || stack_.empty()) return;
    Frame frame = std::move(stack_.back());
    stack_.pop_back();
    if (frame.anchor != 0) anchors_[frame.anchor] = {frame.node, count_ - frame.first_count};
    place(std::move(frame.node));
  }

  void add(Node node, YAML::anchor_t anchor, std::size_t size) {
    if (!error_.empty() || !charge(size, node.line())) return;
    if (anchor != 0) anchors_[anchor] = {node, size};
    place(std::move(node));
  }

  // Puts a finished value into its parent: a sequence item, a map key or a map value.
  void place(Node node) {
    if (stack_.empty()) {
      documents_.push_back(std::move(node));
      return;
    }
    auto& parent = stack_.back();
    if (parent.node.is_sequence()) {
      parent.node.append(std::move(node));
    } else if (!parent.has_key) {
      if (node.is_map() || node.is_sequence())
        return fail(node.line(), "a mapping key is not a string");
      parent.key = node.is_null() ? "null" : node.str();
      parent.has_key = true;
    } else {
      parent.node.insert(std::move(parent.key), std::move(node));
      parent.has_key = false;
    }
  }

  int first_line_;
  std::size_t budget_;
  std::size_t count_ = 0;
  std::vector<Frame> stack_;
  std::unordered_map<YAML::anchor_t, Anchored> anchors_;
  std::vector<Node> documents_;
  std::string error_;
  int error_line_ = 0;
};

std::size_t end_markers(std::string_view text) {
  std::size_t count = text.starts_with("...") ? 1 : 0;
  for (auto position = text.find("\n..."); position != std::string_view::npos;
       position = text.find("\n...", position + 1)) {
    ++count;
  }
  return count;
}

}  // namespace

Result<std::vector<Node>> parse_document(const DocumentText& document, int& error_line) {
  error_line = document.first_line;
  // Every value takes at least one byte of input unless aliases repeat it.
  Builder builder(document.first_line, document.text.size() + 16);
  try {
    std::istringstream stream{std::string(document.text)};
    YAML::Parser parser(stream);
    // One document, plus one more per "..." end marker. yaml-cpp may report further (empty)
    // documents forever on some malformed input, so the count is bounded.
    for (std::size_t left = 1 + end_markers(document.text);
         left > 0 && parser.HandleNextDocument(builder); --left) {
    }
  } catch (const YAML::DeepRecursion& error) {
    // yaml-cpp's own depth limit (its message is a bare "bad file") fires before ours on
    // flow collections nested some hundreds deep.
    if (!error.mark.is_null()) error_line = document.first_line + error.mark.line;
    return runtime_error("values nested deeper than " + std::to_string(kMaxNesting) + " levels");
  } catch (const YAML::Exception& error) {
    if (!error.mark.is_null()) error_line = document.first_line + error.mark.line;
    return runtime_error("invalid YAML: " +
                         (error.msg.empty() ? std::string(error.what()) : error.msg));
  }
  return builder.take(error_line);
}

}  // namespace getmesh::validate
