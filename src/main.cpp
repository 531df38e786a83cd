#include <getmesh/cli/run.hpp>

int main(int argc, char** argv) { return getmesh::cli::run(argc, argv); }
