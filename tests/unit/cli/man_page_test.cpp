#include "cli/man_page.hpp"

#include "cli/command_tree.hpp"
#include "cli/man_text.hpp"
#include "cli/passthrough.hpp"

#include <getmesh/core/fs.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <regex>
#include <set>
#include <sstream>

namespace getmesh::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// The real command tree, built on an empty environment (building it reads nothing).
class ManPageTest : public ::testing::Test {
 protected:
  std::ostringstream out_;
  std::ostringstream err_;
  Output output_{out_, err_, false, false, false, false};
  Context context_{Environment(), output_};
  CommandTree tree_ = build_command_tree(context_);

  CLI::App* command(const std::string& name) { return tree_.root->get_subcommand(name); }
};

TEST_F(ManPageTest, EveryCommandHasDetailsAndExamplesAndNoTextOutlivesItsCommand) {
  std::set<std::string> live;
  for (const auto* node : all_commands(*tree_.root)) {
    const auto path = command_words(*node);
    live.insert(path);
    const auto* text = man::command_text(path);
    ASSERT_NE(text, nullptr) << "add the man page text of \"getmesh " << path
                             << "\" to src/cli/man_text.cpp";
    EXPECT_FALSE(text->details.empty()) << path;
    EXPECT_FALSE(text->examples.empty()) << path;
  }
  EXPECT_TRUE(live.count("manifest export"));  // nested commands have pages too
  for (const auto& text : man::all_command_texts()) {
    EXPECT_TRUE(live.count(std::string(text.command)))
        << "src/cli/man_text.cpp has text for \"" << text.command << "\", which is no command";
  }
}

// Every example is a command line getmesh accepts (a pipe ends it): `istioctl` ones are recognised
// by the passthrough, the others parse with the live command tree.
TEST_F(ManPageTest, EveryExampleParses) {
  for (const auto& text : man::all_command_texts()) {
    for (const auto& example : text.examples) {
      std::vector<std::string> words;
      std::istringstream line{std::string(example.command_line)};
      for (std::string word; line >> word && word != "|";) words.push_back(word);
      ASSERT_FALSE(words.empty());
      EXPECT_EQ(words.front(), "getmesh") << example.command_line;
      std::vector<char*> argv;
      for (auto& word : words) argv.push_back(word.data());
      const bool passthrough =
          parse_passthrough(static_cast<int>(argv.size()), argv.data()).has_value();
      EXPECT_EQ(passthrough, text.command == "istioctl" || words.at(1) == "istioctl")
          << example.command_line;
      if (passthrough) continue;
      words.erase(words.begin());
      std::reverse(words.begin(), words.end());  // CLI11 takes the arguments in reverse
      std::ostringstream out;
      std::ostringstream err;
      Output output(out, err, false, false, false, false);
      Context context(Environment(), output);
      auto fresh = build_command_tree(context);
      EXPECT_NO_THROW(fresh.root->parse(words)) << example.command_line;
      const CLI::App* chosen = fresh.root.get();
      for (auto parsed = chosen->get_subcommands(); !parsed.empty();
           parsed = chosen->get_subcommands()) {
        chosen = parsed.front();
      }
      // An example runs the command itself or one below it.
      const auto path = command_words(*chosen);
      const std::string command(text.command);
      EXPECT_TRUE(command.empty() || path == command || path.starts_with(command + " "))
          << example.command_line << " is not an example of " << command;
    }
  }
}

// `help fetch` asks about fetch; it must not run it.
TEST_F(ManPageTest, ACommandNameAfterHelpIsItsArgument) {
  std::vector<std::string> args = {"export", "manifest", "--man", "help"};  // reversed for CLI11
  tree_.root->parse(args);
  EXPECT_TRUE(command("help")->parsed());
  EXPECT_FALSE(command("manifest")->parsed());
}

TEST_F(ManPageTest, SubcommandPageHasEverySectionAndEveryOptionWithItsDefault) {
  auto* version = command("version");
  const auto page = render_man_page(*version);
  EXPECT_THAT(page, HasSubstr(".TH GETMESH\\-VERSION 1 "));
  EXPECT_THAT(page, HasSubstr(".SH NAME\ngetmesh\\-version \\- show the versions of getmesh"));
  EXPECT_THAT(page, HasSubstr(".SH SYNOPSIS\n.B getmesh version\n[\\fIOPTIONS\\fR]\n"));
  for (const char* section :
       {".SH DESCRIPTION", ".SH OPTIONS", ".SH GLOBAL OPTIONS", ".SH ENVIRONMENT", ".SH FILES",
        ".SH EXIT STATUS", ".SH EXAMPLES", ".SH SEE ALSO"}) {
    EXPECT_THAT(page, HasSubstr(section));
  }
  for (const auto* option : version->get_options()) {
    for (const auto& name : option->get_lnames()) {
      std::string escaped;
      for (const char c : "--" + name) escaped += c == '-' ? std::string("\\-") : std::string(1, c);
      EXPECT_THAT(page, HasSubstr("\\fB" + escaped + "\\fR")) << name;
    }
  }
  EXPECT_THAT(page, HasSubstr("Default: istio\\-system."));
  // A global option is listed, its help and version flags are not repeated.
  EXPECT_THAT(page, HasSubstr("\\fB\\-\\-kubeconfig\\fR"));
  EXPECT_THAT(page, Not(HasSubstr("Display program version")));
  EXPECT_THAT(page, HasSubstr("\\fBgetmesh\\fR(1)"));
}

TEST_F(ManPageTest, PositionalArgumentsAreInTheSynopsis) {
  EXPECT_THAT(render_man_page(*command("completion")),
              HasSubstr(".B getmesh completion\n[\\fIOPTIONS\\fR] \\fISHELL\\fR\n"));
  EXPECT_THAT(render_man_page(*command("config-validate")),
              HasSubstr("[\\fIOPTIONS\\fR] [\\fIPATHS\\fR\\ .\\|.\\|.]\n"));
  EXPECT_THAT(render_man_page(*command("istioctl")),
              HasSubstr("[\\fIARGUMENTS\\fR\\ .\\|.\\|.]\n"));
}

TEST_F(ManPageTest, RootPageListsEveryCommandPage) {
  const auto page = render_man_page(*tree_.root);
  EXPECT_THAT(page, HasSubstr(".SH NAME\ngetmesh \\- fetch, verify and run vetted istioctl"));
  EXPECT_THAT(page, HasSubstr(".SH COMMANDS"));
  for (const auto* sub : tree_.root->get_subcommands({})) {
    std::string escaped;
    for (const char c : "getmesh-" + sub->get_name()) {
      escaped += c == '-' ? std::string("\\-") : std::string(1, c);
    }
    EXPECT_THAT(page, HasSubstr("\\fB" + escaped + "\\fR(1)")) << sub->get_name();
  }
  EXPECT_EQ(man_page_file_name(*tree_.root), "getmesh.1");
  EXPECT_EQ(man_page_file_name(*command("gen-ca")), "getmesh-gen-ca.1");
}

TEST_F(ManPageTest, NestedCommandsHaveTheirOwnPagesLinkedFromTheirParent) {
  auto* manifest = command("manifest");
  auto* export_command = manifest->get_subcommand("export");
  EXPECT_EQ(command_words(*export_command), "manifest export");
  EXPECT_EQ(man_page_file_name(*export_command), "getmesh-manifest-export.1");
  const auto parent = render_man_page(*manifest);
  EXPECT_THAT(parent, HasSubstr(".B getmesh manifest\n\\fICOMMAND\\fR [\\fIOPTIONS\\fR]\n"));
  EXPECT_THAT(parent, HasSubstr(".SH COMMANDS\n.TP\n\\fBgetmesh\\-manifest\\-export\\fR(1)\n"));
  // upgrade runs alone too: its subcommand is optional.
  EXPECT_THAT(render_man_page(*command("upgrade")),
              HasSubstr(".B getmesh upgrade\n[\\fICOMMAND\\fR] [\\fIOPTIONS\\fR]\n"));
  const auto page = render_man_page(*export_command);
  EXPECT_THAT(page, HasSubstr(".TH GETMESH\\-MANIFEST\\-EXPORT 1 "));
  EXPECT_THAT(page, HasSubstr(".B getmesh manifest export\n"));
  EXPECT_THAT(page, HasSubstr("\\fB\\-\\-platform\\fR"));
  EXPECT_THAT(page, HasSubstr(".SH GLOBAL OPTIONS"));
  EXPECT_THAT(page, HasSubstr("\\fBgetmesh\\-manifest\\fR(1)"));
}

// Text that roff would take for requests or escapes comes out literal.
TEST(ManPageRoff, EscapesWhatRoffWouldInterpret) {
  CLI::App root("Root", "getmesh");
  auto* sub = root.add_subcommand("odd", ".starts with a dot, has a \\ and \xE2\x80\xA6 and \xFF");
  std::string value = "a-b";
  sub->add_option("--value", value, "'quoted at the start")->capture_default_str();
  const auto page = render_man_page(*sub);
  EXPECT_THAT(page, HasSubstr("\\&.starts with a dot, has a \\e and \\[u2026] and \\[uFFFD]"));
  EXPECT_THAT(page, HasSubstr("\\&'quoted at the start. Default: a\\-b."));
  // No text line of the page starts with a dot or quote that is not a request.
  std::istringstream lines(page);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || (line[0] != '.' && line[0] != '\'')) continue;
    EXPECT_TRUE(
        std::regex_search(line, std::regex(R"(^\.(\\"|TH|SH|PP|TP|B|RS|RE|nf|fi|nh|ad) ?)")))
        << line;
  }
}

// Every variable of docs/configuration.md's table is in the ENVIRONMENT section, and back.
TEST(ManPageEnvironment, MatchesTheConfigurationDocs) {
  auto docs = read_file(std::filesystem::path(GETMESH_SOURCE_DIR) / "docs/configuration.md");
  ASSERT_TRUE(docs) << docs.error().message;
  const auto start = docs->find("## Environment variables");
  ASSERT_NE(start, std::string::npos);
  std::set<std::string> documented;
  std::istringstream lines(docs->substr(start));
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("| `", 0) != 0) continue;
    const auto first_cell = line.substr(2, line.find(" |", 2) - 2);
    static const std::regex kName("`([A-Za-z_]+)`");
    for (std::sregex_iterator it(first_cell.begin(), first_cell.end(), kName), end; it != end;
         ++it) {
      documented.insert((*it)[1]);
    }
  }
  std::set<std::string> in_man;
  for (const auto& entry : man::environment()) {
    std::istringstream names{std::string(entry.term)};
    for (std::string name; std::getline(names, name, ',');) {
      in_man.insert(name.substr(name.find_first_not_of(' ')));
    }
  }
  EXPECT_FALSE(documented.empty());
  EXPECT_EQ(documented, in_man);
}

}  // namespace
}  // namespace getmesh::cli
