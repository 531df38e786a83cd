#include "cli/man_page.hpp"

#include "cli/man_text.hpp"

#include <getmesh/core/build_info.hpp>

#include <algorithm>
#include <cstdio>
#include <sstream>
#include <string_view>
#include <vector>

namespace getmesh::cli {

namespace {

// Decodes one UTF-8 sequence at `text[index]`; returns its code point and advances `index`.
// Malformed bytes come back as U+FFFD.
unsigned next_code_point(std::string_view text, std::size_t& index) {
  const auto lead = static_cast<unsigned char>(text[index++]);
  std::size_t extra = 0;
  unsigned value = 0;
  if (lead >= 0xF0 && lead < 0xF8) {
    extra = 3;
    value = lead & 0x07U;
  } else if (lead >= 0xE0) {
    extra = 2;
    value = lead & 0x0FU;
  } else if (lead >= 0xC0) {
    extra = 1;
    value = lead & 0x1FU;
  } else {
    return 0xFFFD;
  }
  for (; extra > 0; --extra) {
    if (index >= text.size()) return 0xFFFD;
    const auto next = static_cast<unsigned char>(text[index]);
    if ((next & 0xC0U) != 0x80U) return 0xFFFD;
    value = (value << 6U) | (next & 0x3FU);
    ++index;
  }
  return value;
}

// Text for a roff text line or macro argument: backslashes and hyphens escaped (so options and
// command lines copy as ASCII), non-ASCII as \[uXXXX], a leading dot or quote made literal, and a
// break point after each slash.
std::string roff(std::string_view text) {
  std::string out;
  if (!text.empty() && (text.front() == '.' || text.front() == '\'')) out = "\\&";
  for (std::size_t index = 0; index < text.size();) {
    const char c = text[index];
    if (static_cast<unsigned char>(c) >= 0x80) {
      char escaped[16];
      std::snprintf(escaped, sizeof escaped, "\\[u%04X]", next_code_point(text, index));
      out += escaped;
      continue;
    }
    ++index;
    if (c == '\\') {
      out += "\\e";
    } else if (c == '-') {
      out += "\\-";
    } else if (c == '\n') {
      out += ' ';
    } else if (c == '/') {
      out += "/\\:";  // a break point: long paths and URLs may wrap after a slash
    } else {
      out += c;
    }
  }
  return out;
}

std::string bold(std::string_view text) { return "\\fB" + roff(text) + "\\fR"; }
std::string italic(std::string_view text) { return "\\fI" + roff(text) + "\\fR"; }

std::string upper(std::string_view text) {
  std::string out(text);
  for (auto& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

// "Download a vetted istioctl" -> "download a vetted istioctl"; "CA ..." stays.
std::string whatis_text(std::string_view description) {
  std::string out(description);
  if (out.size() > 1 && out[0] >= 'A' && out[0] <= 'Z' && out[1] >= 'a' && out[1] <= 'z') {
    out[0] = static_cast<char>(out[0] - 'A' + 'a');
  }
  return out;
}

std::string sentence(std::string_view text) {
  std::string out(text);
  if (!out.empty() && out.back() != '.') out += '.';
  return out;
}

void paragraphs(std::ostream& page, std::string_view text) {
  while (!text.empty()) {
    const auto end = text.find("\n\n");
    page << ".PP\n" << roff(text.substr(0, end)) << "\n";
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 2);
  }
}

bool is_hidden(const CLI::Option& option) { return option.get_group().empty(); }

// "-o, --output TEXT", "SHELL" for a positional.
std::string option_term(const CLI::Option& option) {
  if (option.get_positional()) {
    std::string term = italic(upper(option.get_name(true)));
    if (option.get_expected_max() > 1) term += "\\ .\\|.\\|.";
    return term;
  }
  std::string term;
  for (const auto& name : option.get_snames()) {
    term += (term.empty() ? "" : ", ") + bold("-" + name);
  }
  for (const auto& name : option.get_lnames()) {
    term += (term.empty() ? "" : ", ") + bold("--" + name);
  }
  if (option.get_expected_min() > 0) {
    const auto type = option.get_type_name();
    term += " " + italic(type.substr(0, type.find(':')));
  }
  return term;
}

// Defaults are the ones the commands declare (CLI11's default strings, shown by --help too) and
// the ones their descriptions state in parentheses.
// `owner`, when given, is the command the page is about: options it declares itself (such as
// --context of the commands that talk to a cluster) are not repeated for its parents.
void options_section(std::ostream& page, const std::string& title, const CLI::App& app,
                     bool skip_help_and_version, const CLI::App* owner = nullptr) {
  std::ostringstream entries;
  for (const auto* option : app.get_options()) {
    if (is_hidden(*option)) continue;
    if (owner != nullptr && !option->get_lnames().empty() &&
        owner->get_option_no_throw("--" + option->get_lnames().front()) != nullptr) {
      continue;
    }
    if (skip_help_and_version &&
        (option == app.get_help_ptr() || option == app.get_version_ptr())) {
      continue;
    }
    entries << ".TP\n" << option_term(*option) << "\n" << roff(sentence(option->get_description()));
    if (option->get_expected_min() > 0 && !option->get_default_str().empty()) {
      entries << " Default: " << roff(option->get_default_str()) << ".";
    }
    if (option->get_required()) entries << " Required.";
    entries << "\n";
  }
  if (entries.str().empty()) return;
  page << ".SH " << title << "\n"
       << ".PP\nFlags are off unless given, except where noted.\n"
       << entries.str();
}

void entries_section(std::ostream& page, const char* title, std::span<const man::Entry> entries,
                     bool bold_terms) {
  page << ".SH " << title << "\n";
  for (const auto& entry : entries) {
    page << ".TP\n"
         << (bold_terms ? bold(entry.term) : roff(entry.term)) << "\n"
         << roff(entry.meaning) << "\n";
  }
}

void examples_section(std::ostream& page, const man::CommandText* text) {
  if (text == nullptr || text->examples.empty()) return;
  page << ".SH EXAMPLES\n";
  for (const auto& example : text->examples) {
    page << ".PP\n"
         << roff(example.purpose) << "\n.PP\n.RS 4\n.nf\n"
         << roff(example.command_line) << "\n.fi\n.RE\n";
  }
}

// "getmesh-manifest-export" for `getmesh manifest export`.
std::string page_name(const CLI::App& command) {
  auto path = command_words(command);
  std::replace(path.begin(), path.end(), ' ', '-');
  return path.empty() ? "getmesh" : "getmesh-" + path;
}

void synopsis(std::ostream& page, const CLI::App& command) {
  page << ".SH SYNOPSIS\n.B getmesh";
  if (const auto path = command_words(command); !path.empty()) page << " " << roff(path);
  page << "\n";
  if (command.get_parent() == nullptr) {
    page << "[" << italic("OPTIONS") << "] " << italic("COMMAND") << " [" << italic("ARGUMENTS")
         << "]\n";
    return;
  }
  if (!command.get_subcommands({}).empty()) {
    // A command that also runs alone (upgrade) shows its subcommand as optional.
    const auto word = italic("COMMAND");
    page << (command.get_require_subcommand_min() > 0 ? word : "[" + word + "]") << " ";
  }
  page << "[" << italic("OPTIONS") << "]";
  for (const auto* option : command.get_options()) {
    if (!option->get_positional() || is_hidden(*option)) continue;
    std::string argument = italic(upper(option->get_name(true)));
    if (option->get_expected_max() > 1) argument += "\\ .\\|.\\|.";
    page << " " << (option->get_required() ? argument : "[" + argument + "]");
  }
  if (command.get_allow_extras()) page << " [" << italic("ARGUMENTS") << "\\ .\\|.\\|.]";
  page << "\n";
}

void commands_section(std::ostream& page, const CLI::App& command) {
  const auto subcommands = command.get_subcommands({});
  if (subcommands.empty()) return;
  page << ".SH COMMANDS\n";
  for (const auto* sub : subcommands) {
    page << ".TP\n"
         << bold(page_name(*sub)) << "(1)\n"
         << roff(sentence(sub->get_description())) << "\n";
  }
}

// The options of every command above `command` (the root's are getmesh's global options).
void inherited_options(std::ostream& page, const CLI::App& command) {
  for (const auto* parent = command.get_parent(); parent != nullptr;
       parent = parent->get_parent()) {
    const auto title = parent->get_parent() == nullptr
                           ? std::string("GLOBAL OPTIONS")
                           : "OPTIONS OF GETMESH " + upper(command_words(*parent));
    options_section(page, title, *parent, true, &command);
  }
}

void see_also(std::ostream& page, const CLI::App& command) {
  std::vector<std::string> references;
  if (const auto* parent = command.get_parent(); parent != nullptr) {
    references.push_back(bold(page_name(*parent)) + "(1)");
  }
  for (const auto* sub : command.get_subcommands({})) {
    references.push_back(bold(page_name(*sub)) + "(1)");
  }
  page << ".SH SEE ALSO\n";
  for (std::size_t index = 0; index < references.size(); ++index) {
    page << references[index] << (index + 1 < references.size() ? ",\n" : "\n");
  }
  page << ".PP\nThe documentation of getmesh (README.md and docs/), installed in "
       << "share/doc/getmesh.\n";
}

}  // namespace

std::string command_words(const CLI::App& command) {
  std::string path;
  for (const auto* node = &command; node->get_parent() != nullptr; node = node->get_parent()) {
    path = node->get_name() + (path.empty() ? "" : " " + path);
  }
  return path;
}

std::vector<const CLI::App*> all_commands(const CLI::App& root) {
  std::vector<const CLI::App*> commands = {&root};
  for (std::size_t index = 0; index < commands.size(); ++index) {
    for (const auto* sub : commands[index]->get_subcommands({})) commands.push_back(sub);
  }
  return commands;
}

std::string man_page_file_name(const CLI::App& command) { return page_name(command) + ".1"; }

std::string render_man_page(const CLI::App& command) {
  const auto& build = build_info();
  const auto name = page_name(command);
  const auto* text = man::command_text(command_words(command));
  std::ostringstream page;
  page << ".\\\" Generated by getmesh help --man; do not edit.\n"
       << ".TH " << roff(upper(name)) << " 1 \"" << roff(build.date) << "\" \"getmesh "
       << roff(build.version) << "\" \"User Commands\"\n"
       << ".nh\n.ad l\n"  // no hyphenation, ragged right: options and paths stay whole
       << ".SH NAME\n"
       << roff(name) << " \\- " << roff(whatis_text(command.get_description())) << "\n";
  synopsis(page, command);
  page << ".SH DESCRIPTION\n";
  paragraphs(page, sentence(command.get_description()));
  if (text != nullptr) paragraphs(page, text->details);
  if (!command.get_footer().empty()) paragraphs(page, command.get_footer());
  options_section(page, "OPTIONS", command, false);
  inherited_options(page, command);
  commands_section(page, command);
  entries_section(page, "ENVIRONMENT", man::environment(), true);
  entries_section(page, "FILES", man::files(), true);
  entries_section(page, "EXIT STATUS", man::exit_status(), false);
  examples_section(page, text);
  see_also(page, command);
  return page.str();
}

}  // namespace getmesh::cli
