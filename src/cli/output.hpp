#pragma once

#include <getmesh/core/environment.hpp>
#include <getmesh/core/result.hpp>

#include <ostream>
#include <string>
#include <string_view>

namespace getmesh::cli {

// The only place commands write to. Results (tables, JSON) go to `out`; warnings, notes, progress
// and errors go to `err`, so `-o json` output is never mixed with anything else.
class Output {
 public:
  Output(std::ostream& out, std::ostream& err, bool color, bool interactive, bool progress = false)
      : out_(out), err_(err), color_(color), interactive_(interactive), progress_(progress) {}

  // Real streams; colour only on a terminal without NO_COLOR; interactive when stdin and stderr
  // are terminals.
  static Output for_process(const Environment& environment);

  std::ostream& out() { return out_; }
  std::ostream& err() { return err_; }
  [[nodiscard]] bool color() const { return color_; }
  // Prompts and progress bars are only shown when a person is there to see them.
  [[nodiscard]] bool interactive() const { return interactive_; }
  // Progress bars only when stderr is a terminal.
  [[nodiscard]] bool progress() const { return progress_; }

  void warn(std::string_view text);
  void note(std::string_view text);
  void error(const Error& error);
  // Asks a yes/no question on the terminal; only `y` or `yes` confirms.
  bool confirm(std::string_view question);

  // Wraps `text` in an ANSI colour when colour is on.
  [[nodiscard]] std::string paint(std::string_view text, std::string_view ansi_code) const;

 private:
  std::ostream& out_;
  std::ostream& err_;
  bool color_;
  bool interactive_;
  bool progress_;
};

}  // namespace getmesh::cli
