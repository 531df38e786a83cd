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

}  // namespace
}  // namespace getmesh::cli
