#include "cli/table.hpp"

#include <gtest/gtest.h>

namespace getmesh::cli {
namespace {

TEST(Table, AlignsColumnsWithoutTrailingSpaces) {
  Table table({"NAME", "FLAVOR", "EOL"});
  table.add_row({"*1.31.1", "istio", ""});
  table.add_row({"1.9.0", "tetratefips", "2021-12-01"});
  EXPECT_EQ(table.render(),
            "NAME      FLAVOR        EOL\n"
            "*1.31.1   istio\n"
            "1.9.0     tetratefips   2021-12-01\n");
}

TEST(Table, EscapesControlCharactersOfCellsOnOneLine) {
  // A revision name from a cluster that would clear the screen and add a fake row.
  Table table({"REVISION", "VERSION"});
  table.add_row({"canary\x1b[2J\nfake   row", "1.31.1\xc2\x9b"});
  EXPECT_EQ(table.render(),
            "REVISION                      VERSION\n"
            "canary\\x1b[2J\\x0afake   row   1.31.1\\u009b\n");
}

// Our own colours survive the escaping of what the cell says, and do not shift the columns.
TEST(Table, PaintsEscapedCellsOutsideTheirWidth) {
  Table table({"VERSION", "END OF LIFE", "SOURCE"});
  table.add_row({"1.26.8", "2025-12-22\x1b[0m", "manifest"}, {"", "31"});
  table.add_row({"1.31.1", "", "manifest"}, {"", "31"});
  const auto paint = [](std::string_view text, std::string_view code) {
    return "<" + std::string(code) + ">" + std::string(text) + "</>";
  };
  EXPECT_EQ(table.render(paint),
            "VERSION   END OF LIFE         SOURCE\n"
            "1.26.8    <31>2025-12-22\\x1b[0m</>   manifest\n"
            "1.31.1                        manifest\n");
  EXPECT_EQ(table.render(),
            "VERSION   END OF LIFE         SOURCE\n"
            "1.26.8    2025-12-22\\x1b[0m   manifest\n"
            "1.31.1                        manifest\n");
}

}  // namespace
}  // namespace getmesh::cli
