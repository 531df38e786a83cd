#pragma once

namespace getmesh::cli {

// Runs the getmesh command line and returns the process exit code (docs/exit-codes.md).
int run(int argc, char** argv);

}  // namespace getmesh::cli
