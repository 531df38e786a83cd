#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace getmesh::cli {

// The manual page, in man(7) roff, of a command of the getmesh tree (the root is getmesh itself):
// name, synopsis, description, every option with its default (those of the commands above it
// too), its subcommands, environment, files, exit status, examples. Generated from the command
// tree, so it cannot drift from the binary.
std::string render_man_page(const CLI::App& command);

// "getmesh.1", "getmesh-fetch.1", "getmesh-manifest-export.1".
std::string man_page_file_name(const CLI::App& command);

// The words that choose `command` after "getmesh": "" for the root, "fetch", "manifest export".
std::string command_words(const CLI::App& command);

// `root` and every command below it, parents before their subcommands.
std::vector<const CLI::App*> all_commands(const CLI::App& root);

}  // namespace getmesh::cli
