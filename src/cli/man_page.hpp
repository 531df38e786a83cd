#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace getmesh::cli {

// The manual page, in man(7) roff, of getmesh (`command` == nullptr) or of one of the root's
// subcommands: name, synopsis, description, every option with its default, environment, files,
// exit status, examples. Generated from the command tree, so it cannot drift from the binary.
std::string render_man_page(const CLI::App& root, const CLI::App* command);

// "getmesh.1" or "getmesh-fetch.1".
std::string man_page_file_name(const CLI::App* command);

}  // namespace getmesh::cli
