#!/usr/bin/env python3
"""Extracts the expectations of Istio's analyzer test grid as data.

Usage: tools/extract_analyzer_suite.py UPSTREAM_DIR > tests/data/istio-analyzer-suite/expectations.json

UPSTREAM_DIR holds upstream's `analyzers_test.go` (the Go file with the `testGrid` table) and
`messages.yaml` (message names and codes), e.g. ../shared/reference/istio-analyzer-suite. The Go
file is read as text, never vendored: this tool keeps only the facts of each grid entry (its name,
input files, mesh config files, the analyzer under test and the expected `{message, origin}` pairs)
and writes them as JSON, with the message names turned into IST codes.

Also written: per analyzer, the codes the grid expects from it in any case (what that analyzer can
emit, as far as the grid shows), and the codes several analyzers share (IST0101, IST0002), for
which a conformance run judges misses but not extras. tests/unit/validate/conformance_test.cpp
reads the result.
"""
import json
import re
import sys

import yaml


def grid_text(source):
    """The body of `var testGrid = []testCase{ ... }`."""
    start = source.index("{", source.index("var testGrid = []testCase"))
    depth, index = 0, start
    while index < len(source):
        char = source[index]
        if char == '"':  # string literals may hold braces
            index = source.index('"', index + 1)
        elif char == "/" and source.startswith("//", index):
            index = source.index("\n", index)
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return source[start + 1:index]
        index += 1
    raise ValueError("unterminated testGrid")


def top_level_entries(body):
    """The `{ ... }` entries at depth one of a composite literal body."""
    entries, depth, start, in_string = [], 0, None, False
    for index, char in enumerate(body):
        if in_string:
            in_string = char != '"' or body[index - 1] == "\\"
            continue
        if char == '"':
            in_string = True
        elif char == "{":
            if depth == 0:
                start = index + 1
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                entries.append(body[start:index])
    return entries


def without_comments(text):
    return re.sub(r"//[^\n]*", "", text)


def parse_case(entry, codes):
    entry = without_comments(entry)
    name = re.search(r'\bname:\s*"([^"]*)"', entry).group(1)
    files = re.search(r"\binputFiles:\s*\[\]string\{([^}]*)\}", entry).group(1)
    mesh_config = re.search(r'\bmeshConfigFile:\s*"([^"]*)"', entry)
    mesh_networks = re.search(r'\bmeshNetworksFile:\s*"([^"]*)"', entry)
    analyzer = re.search(r"\banalyzer:\s*&(\w+)\.(\w+)\{\}", entry)
    if analyzer:
        analyzer_name = analyzer.group(1) + "." + analyzer.group(2)
    else:
        schema = re.search(r"CollectionValidationAnalyzer\(collections\.(\w+)\)", entry)
        analyzer_name = "schema.ValidationAnalyzer." + schema.group(1)
    expected = []
    block = re.search(r"\bexpected:\s*\[\]message\{(.*)\}", entry, re.S)
    if block:
        for message, origin in re.findall(r'\{\s*msg\.(\w+)\s*,\s*"([^"]*)"\s*\}', block.group(1)):
            expected.append({"code": codes[message], "message": message, "origin": origin})
    return {
        "id": name,
        "name": name,
        "input_files": re.findall(r'"([^"]+)"', files),
        "mesh_config_file": mesh_config.group(1) if mesh_config else None,
        "mesh_networks_file": mesh_networks.group(1) if mesh_networks else None,
        "analyzer": analyzer_name,
        "skip_all": bool(re.search(r"\bskipAll:\s*true", entry)),
        "expected": expected,
    }


def main():
    upstream = sys.argv[1]
    with open(upstream + "/messages.yaml", encoding="utf-8") as handle:
        codes = {m["name"]: m["code"] for m in yaml.safe_load(handle)["messages"]}
    with open(upstream + "/analyzers_test.go", encoding="utf-8") as handle:
        cases = [parse_case(entry, codes) for entry in top_level_entries(grid_text(handle.read()))]
    names = [case["name"] for case in cases]
    for case in cases:  # a few names repeat: those get their first input file added
        case["id"] = case["name"]
        if names.count(case["name"]) > 1:
            case["id"] += " (" + case["input_files"][0].rsplit("/", 1)[-1] + ")"
    emitted = {}
    for case in cases:
        emitted.setdefault(case["analyzer"], set()).update(e["code"] for e in case["expected"])
    owners = {}
    for analyzer, analyzer_codes in emitted.items():
        for code in analyzer_codes:
            owners.setdefault(code, set()).add(analyzer)
    try:
        with open(upstream + "/COMMIT", encoding="utf-8") as handle:
            commit = handle.read().strip()
    except FileNotFoundError:
        commit = None
    json.dump({
        "source": "istio/istio pkg/config/analysis/analyzers/analyzers_test.go (testGrid)",
        "commit": commit,
        "generated_by": "tools/extract_analyzer_suite.py",
        "analyzer_codes": {name: sorted(c) for name, c in sorted(emitted.items())},
        "shared_codes": sorted(code for code, o in owners.items() if len(o) > 1),
        "cases": cases,
    }, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
