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

}  // namespace
}  // namespace getmesh::cli
