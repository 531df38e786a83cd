#pragma once

#include <span>
#include <string_view>

// The prose of the manual pages that the command tree cannot know: longer descriptions, examples,
// the environment, the files and the exit codes. Options, synopses and command lists come from the
// tree itself (man_page.hpp).
namespace getmesh::cli::man {

struct Example {
  std::string_view command_line;  // starts with "getmesh"
  std::string_view purpose;
};

// One row of a two-column list (ENVIRONMENT, FILES, EXIT STATUS).
struct Entry {
  std::string_view term;
  std::string_view meaning;
};

struct CommandText {
  std::string_view command;  // its words after getmesh ("manifest export"), "" for getmesh itself
  std::string_view details;  // paragraphs separated by blank lines, after the one-line description
  std::span<const Example> examples;
};

// The text of `command` (its words, "" for getmesh itself); nullptr when there is none.
const CommandText* command_text(std::string_view command);
// Every command that has text (to check that no text outlives its command).
std::span<const CommandText> all_command_texts();

std::span<const Entry> environment();
std::span<const Entry> files();
std::span<const Entry> exit_status();

}  // namespace getmesh::cli::man
