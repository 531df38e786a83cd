#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace getmesh {

// "1 sidecar", "2 sidecars", "3 proxies": the count and `noun` in the number it calls for (English
// regular plurals; a consonant before a final y becomes "ies").
std::string counted(std::size_t count, std::string_view noun);
// `one` when `count` is 1, else `many`: the verb that agrees with a count ("runs"/"run").
std::string_view agreeing(std::size_t count, std::string_view one, std::string_view many);
// The candidate closest to `word` by edit distance, when it is close enough to be a typo (at most
// a third of the word's letters, and at most 2, differ or are swapped); nullopt otherwise.
std::optional<std::string> closest_match(std::string_view word,
                                         const std::vector<std::string>& candidates);

}  // namespace getmesh
