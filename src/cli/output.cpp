#include "cli/output.hpp"

#include <getmesh/core/strings.hpp>

#include <iostream>
#include <unistd.h>

namespace getmesh::cli {

namespace {

std::string painted(bool color, std::string_view text, std::string_view ansi_code) {
  if (!color) return std::string(text);
  return "\033[" + std::string(ansi_code) + "m" + std::string(text) + "\033[0m";
}

}  // namespace

Output Output::for_process(const Environment& environment) {
  const bool stdout_terminal = ::isatty(STDOUT_FILENO) == 1;
  const bool stderr_terminal = ::isatty(STDERR_FILENO) == 1;
  const bool may_color =
      !environment.get("NO_COLOR") && environment.get("TERM").value_or("") != "dumb";
  const bool interactive = stderr_terminal && ::isatty(STDIN_FILENO) == 1;
  return Output(std::cout, std::cerr, may_color && stdout_terminal, may_color && stderr_terminal,
                interactive, stderr_terminal);
}

std::string Output::paint_out(std::string_view text, std::string_view ansi_code) const {
  return painted(out_color_, text, ansi_code);
}

// Diagnostics quote servers, files and plugins: their control characters are escaped so they
// cannot rewrite the terminal.
void Output::warn(std::string_view text) {
  err_ << painted(err_color_, "warning:", "33") << " " << escape_control(text) << "\n";
}

void Output::note(std::string_view text) {
  err_ << painted(err_color_, "note:", "36") << " " << escape_control(text) << "\n";
}

void Output::error(const Error& error) {
  err_ << painted(err_color_, "error:", "31") << " " << escape_control(error.message) << "\n";
  if (!error.hint.empty()) {
    err_ << painted(err_color_, "hint:", "36") << " " << escape_control(error.hint) << "\n";
  }
}

bool Output::confirm(std::string_view question) {
  if (!interactive_) return false;
  err_ << question << " [y/N] " << std::flush;
  std::string answer;
  if (!std::getline(std::cin, answer)) return false;
  return answer == "y" || answer == "Y" || answer == "yes" || answer == "Yes";
}

}  // namespace getmesh::cli
