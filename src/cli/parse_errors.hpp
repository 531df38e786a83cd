#pragma once

#include <getmesh/core/result.hpp>

#include <CLI/CLI.hpp>

namespace getmesh::cli {

// Our own wording for CLI11's parse errors (a usage error): "unknown flag: --x",
// "--flavor-version: 'abc' is not an integer", "--name needs a value", with the command it
// happened in and where to read about it.
Error describe_parse_error(const CLI::ParseError& error, const CLI::App& root);

// Checks that an option's value is an integer from `min` to `max`, in the same words.
CLI::Validator integer_in_range(std::int64_t min, std::int64_t max);

}  // namespace getmesh::cli
