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
  // `out_color` and `err_color`: whether each stream may carry ANSI colours.
  Output(std::ostream& out, std::ostream& err, bool out_color, bool err_color, bool interactive,
         bool progress)
      : out_(out),
        err_(err),
        out_color_(out_color),
        err_color_(err_color),
        interactive_(interactive),
        progress_(progress) {}

  // Real streams; colour on each stream only when it is a terminal and NO_COLOR is unset;
  // interactive when stdin and stderr are terminals.
  static Output for_process(const Environment& environment);

  std::ostream& out() { return out_; }
  std::ostream& err() { return err_; }
  // Whether results on `out` may be coloured (stdout is a terminal, NO_COLOR unset).
  [[nodiscard]] bool out_color() const { return out_color_; }
  // Prompts and progress bars are only shown when a person is there to see them.
  [[nodiscard]] bool interactive() const { return interactive_; }
  // Progress bars only when stderr is a terminal.
  [[nodiscard]] bool progress() const { return progress_; }

  // Diagnostics on `err`, with control characters escaped (see escape_control).
  void warn(std::string_view text);
  void note(std::string_view text);
  void error(const Error& error);
  // Asks a yes/no question on the terminal; only `y` or `yes` confirms.
  bool confirm(std::string_view question);

  // Wraps `text` for `out` in an ANSI colour when out_color() is on.
  [[nodiscard]] std::string paint_out(std::string_view text, std::string_view ansi_code) const;

 private:
  std::ostream& out_;
  std::ostream& err_;
  bool out_color_;
  bool err_color_;
  bool interactive_;
  bool progress_;
};

}  // namespace getmesh::cli
