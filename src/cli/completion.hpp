#pragma once

#include "cli/context.hpp"

#include <getmesh/core/result.hpp>

#include <CLI/CLI.hpp>

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace getmesh::cli {

// `getmesh __complete WORD...`: what the shell scripts of `getmesh completion` call on TAB. It is
// answered before the command line is parsed, from the command tree, so every command, flag and
// value kind is covered without a hand-written list.
inline constexpr std::string_view kCompleteCommand = "__complete";

// What a flag's or positional's value completes to, from its CLI11 type name: "a|b|c" (those
// words), FILE, PATH or FILE_OR_URL (files), DIR (directories), CONTEXT (kubeconfig contexts),
// MANIFEST_NAME (distributions of the manifest), FETCHED_NAME (fetched distributions), VERSION
// (the manifest's versions, X.Y and X.Y.Z), COMMAND (getmesh's commands) and SETTING_VALUE (what
// `config set` takes for the setting named before it).
enum class ValueKind {
  kNone,
  kWords,
  kFiles,
  kDirectories,
  kContexts,
  kManifestNames,
  kFetchedNames,
  kVersions,
  kCommands,
  kSettingValues
};

struct Candidates {
  std::vector<std::string> lines;  // "candidate" or "candidate<TAB>description"
  // kFiles or kDirectories: the shell completes paths itself (`lines` is then empty).
  ValueKind shell = ValueKind::kNone;
};

// Values the command tree cannot know (contexts, manifest and fetched names, versions), given the
// options and positionals already on the command line (long name without dashes, or the
// positional's name -> value, e.g. "kubeconfig", "key").
using DynamicValues =
    std::function<std::vector<std::string>(ValueKind, const std::map<std::string, std::string>&)>;

// The candidates for the last of `words` (the words after "getmesh"; the last one is the word
// under the cursor, possibly empty).
Candidates complete(const CLI::App& root, const std::vector<std::string>& words,
                    const DynamicValues& dynamic);

// Prints complete()'s answer: one candidate per line, or ":files" / ":dirs".
Result<int> run_complete(Context& context, const CLI::App& root, std::vector<std::string> words);

}  // namespace getmesh::cli
