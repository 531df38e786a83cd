"""Reads Kiali checker tests that build their objects in Go code, as data.

A test body is read statement by statement: assignments of values built by Kiali's test data
helpers (`data.CreateTestDestinationRule(...)`, lists of them, `append`), each run of the checker
under test (`vals := Checker{Field: value, ...}.Check()`) and the assertions that follow a run
(`assert.Empty(vals)`, `assert.Equal(N, len(vals))`, a look-up of `vals[...Key{Namespace, Name}]`
or `vals[models.BuildKey(kind, name, namespace, ...)]` followed by `assert.True(ok)` or
`assert.False(ok)`; for checkers of one object, whose result is that object's list of checks,
`ConfirmIstioCheckMessage("key", ...)`), with the helpers of the test's package that run the
checker or assert expanded in place and those that build a value evaluated. Field assignments of
struct values (`details.EnabledAutoMtls = true`) are followed; a package constant
(`config.DefaultClusterID`) is kept as an opaque value. Each run whose assertions decide its
findings becomes one case. What each data helper produces is in kiali_data_helpers.py.

Also read: map literals (`map[string][]string{config.DefaultClusterID: {...}}`), struct literals
in field order and with elided types, assignments deeper in a struct value
(`service.Spec.Ports[0].TargetPort = ...`), `var` declarations of the test's file, the functions
and constants of Kiali's packages named in kiali_data_helpers.py (GO_FUNCTIONS, GO_CONSTANTS), the
`if flag {...}` branches of a building helper on a boolean parameter, and loops that look up each
{Name, Namespace} value of a list in the result.
"""
import copy
import re

import kiali_data_helpers

TOKEN = re.compile(r'\s*(?:(?P<string>"(?:[^"\\]|\\.)*")|(?P<number>-?\d+)|'
                   r"(?P<name>[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)|(?P<punct>\[\]\*?|\.\.\.|[(){}\[\],:&*]))")


class Unreadable(Exception):
    """A Go expression this reader does not know."""


class Parser:
    def __init__(self, text, variables, functions):
        self.tokens = []
        position = 0
        while True:
            match = TOKEN.match(text, position)
            if not match or match.end() == position:
                break
            kind = match.lastgroup
            self.tokens.append((kind, match.group(kind), match.end()))
            position = match.end()
        self.at = 0
        self.variables = variables
        self.functions = functions

    def peek(self):
        return self.tokens[self.at][1] if self.at < len(self.tokens) else None

    def take(self, expected=None):
        if self.at >= len(self.tokens):
            raise Unreadable("end of text")
        kind, value, _ = self.tokens[self.at]
        if expected is not None and value != expected:
            raise Unreadable("expected %s, got %s" % (expected, value))
        self.at += 1
        return kind, value

    def end(self):
        """Offset in the text just after the last token read."""
        return self.tokens[self.at - 1][2] if self.at else 0

    def expression(self):
        kind, value = self.take()
        if kind == "string":
            return bytes(value[1:-1], "utf-8").decode("unicode_escape")
        if kind == "number":
            return int(value)
        if value in ("&", "*"):
            return self.expression()  # an address or a dereference: the value itself
        if value == "map" and self.peek() == "[":
            return self.map_literal()
        if value.startswith("[]"):
            self.take()  # element type
            return self.elements("}")
        if kind != "name":
            raise Unreadable("unexpected %s" % value)
        if value in ("true", "false"):
            return value == "true"
        if value == "nil":
            return None
        if self.peek() == "(":
            self.take("(")
            arguments = self.elements(")")
            return self.call(value, arguments)
        if self.peek() == "{":
            return self.composite(value)
        if value not in self.variables and value in kiali_data_helpers.GO_CONSTANTS:
            return kiali_data_helpers.GO_CONSTANTS[value]
        if value not in self.variables:
            if "." in value and not value.startswith("data."):
                return {"constant": value}  # a package's constant, e.g. config.DefaultClusterID
            raise Unreadable("unknown variable %s" % value)
        return self.variables[value]

    def composite(self, struct):
        """A struct literal (`T{A: 1}`, or `T{1, 2}` in field order) from its `{`."""
        if not self.keyed_literal():
            # a struct literal of values in field order (`NameNamespace{"reviews", "bookinfo"}`)
            return {"struct": struct, "values": self.elements("}")}
        self.take("{")
        fields = {}
        while self.peek() != "}":
            _, field = self.take()
            self.take(":")
            fields[field] = self.composite(None) if self.peek() == "{" else self.expression()
            if self.peek() == ",":
                self.take(",")
        self.take("}")
        return {"struct": struct, "fields": fields}

    def keyed_literal(self):
        """Whether the composite literal starting here (`{`) is empty or names its fields."""
        following = [token[1] for token in self.tokens[self.at + 1:self.at + 3]]
        return following[:1] == ["}"] or following[1:] == [":"]

    def map_literal(self):
        """`map[K]V{key: value, ...}`; a value may be an elided composite (`{"a", "b"}`). A
        constant key (`config.DefaultClusterID`) is kept by its name."""
        self.take("[")
        while self.take()[1] != "]":
            pass
        if self.peek().startswith("[]"):
            self.take()
        self.take()  # the value type
        self.take("{")
        entries = {}
        while self.peek() != "}":
            key = self.expression()
            if isinstance(key, dict) and "constant" in key:
                key = key["constant"]
            self.take(":")
            entries[key] = self.elements("}") if self.peek() == "{" else self.expression()
            if self.peek() == ",":
                self.take(",")
        self.take("}")
        return entries

    def elements(self, closing):
        if closing == "}":
            self.take("{")
        values = []
        while self.peek() != closing:
            if self.peek() == "{":  # an element whose type is elided: `[]T{{A: 1}, {A: 2}}`
                values.append(self.composite(None))
            else:
                values.append(self.expression())
            if self.peek() == "...":
                self.take("...")
                values.extend(values.pop())
            if self.peek() == ",":
                self.take(",")
        self.take(closing)
        return values

    def call(self, function, arguments):
        if function == "append":
            return list(arguments[0]) + list(arguments[1:])
        if function in kiali_data_helpers.GO_FUNCTIONS:
            return kiali_data_helpers.GO_FUNCTIONS[function](*arguments)
        if function.startswith("data."):
            helper = getattr(kiali_data_helpers, function[len("data."):], None)
            if helper is None:
                raise Unreadable("unknown data helper %s" % function)
            return helper(*arguments)
        if function in self.functions:
            return self.functions[function](self, arguments)
        raise Unreadable("unknown function %s" % function)


def go_functions(source):
    """name → (parameters, body) of the file's top-level functions that are not tests."""
    functions = {}
    pattern = re.compile(r"^func (\w+)\(([^)]*)\)[^{\n]*\{\n(.*?)^\}\n", re.M | re.S)
    for name, parameters, body in pattern.findall(source):
        if name.startswith("Test"):
            continue
        names = []
        for group in parameters.split(","):
            words = group.split()
            if words:
                names.append(words[0])
        functions[name] = (names, body)
    return functions


IF_BLOCK = re.compile(r"^(\s*)if (!?)(\w+) \{\n(.*?)^\1\}\n", re.M | re.S)


def taken_branches(text, variables):
    """`text` with each `if flag { ... }` (or `if !flag`) on a boolean variable kept when it holds
    and dropped when it does not; any other condition is unreadable."""
    def branch(match):
        flag = variables.get(match.group(3))
        if not isinstance(flag, bool):
            raise Unreadable("condition %s" % match.group(3))
        return match.group(4) if flag != bool(match.group(2)) else ""
    return IF_BLOCK.sub(branch, text)


def builders(functions):
    """The file's helpers that build and return a value, callable by the parser: their
    assignments are read in order, then what they return."""
    callables = {}
    for name, (parameters, body) in functions.items():
        returned = re.search(r"^\s*return (.*?)\s*\Z", body, re.S | re.M)
        if not returned or "assert" in body:
            continue

        def build(parser, arguments, parameters=parameters, body=body, returned=returned):
            bound = dict(parser.variables)
            bound.update(zip(parameters, arguments))
            assign(taken_branches(body[:returned.start()], bound), bound, parser.functions)
            return Parser(returned.group(1), bound, parser.functions).expression()
        callables[name] = build
    return callables


def assign(text, variables, functions, checker=None):
    """Reads the assignments of `text` into `variables`; returns (fields, end offset) of each
    struct literal of `checker` assigned (a run of the checker)."""
    found = []
    matches = sorted(list(ASSIGNMENT.finditer(text)) + list(PATH_ASSIGNMENT.finditer(text)),
                     key=lambda m: m.start())
    for match in matches:
        if match.re is PATH_ASSIGNMENT:
            try:
                assigned = Parser(text[match.end():], variables, functions).expression()
            except Unreadable:
                continue
            if match.group(1) in variables:
                variables[match.group(1)] = copy.deepcopy(variables[match.group(1)])
                set_path(variables[match.group(1)], match.group(2), assigned)
            continue
        parser = Parser(text[match.end():], variables, functions)
        try:
            value = parser.expression()
        except Unreadable:
            continue
        if checker and isinstance(value, dict) and value.get("struct") == checker:
            found.append([value["fields"], match.end() + parser.end(), match.group(1),
                          dict(variables)])
            continue
        if match.group(2):
            struct = variables.get(match.group(1))
            if isinstance(struct, dict) and "fields" in struct:
                fields = dict(struct["fields"], **{match.group(2): value})
                variables[match.group(1)] = dict(struct, fields=fields)
            continue
        variables[match.group(1)] = value
    return found


def expand_assertion_helpers(body, functions, checker):
    """The body with each call of a helper that runs `checker` or asserts on a result (`vals`)
    replaced by the helper's body, its parameters replaced by the call's arguments (as text)."""
    for _ in range(3):
        for name, (parameters, helper_body) in functions.items():
            if ("vals" not in helper_body and checker + "{" not in helper_body
                    and "validation" not in " ".join(parameters)):
                continue

            def inline(match, parameters=parameters, helper_body=helper_body):
                arguments = [a.strip() for a in split_arguments(match.group(1))]
                text = helper_body
                for parameter, argument in zip(parameters, arguments):
                    text = re.sub(r"\b%s\b" % re.escape(parameter), lambda _: argument, text)
                return "\n" + text + "\n"
            body = re.sub(r"\b%s\(((?:[^()]|\([^()]*\))*)\)" % name, inline, body)
    return body


def split_arguments(text):
    depth, current, parts = 0, "", []
    for char in text:
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    return parts


# `x := v`, `x, ok := v`, `x = v` or `x.Field = v` (a field of a struct value)
ASSIGNMENT = re.compile(r"^\s*(\w+)(?:\.(\w+))?(?:\s*,\s*\w+)?\s*:?=\s*", re.M)
# `x.A.B[0].C = v`: a field deeper in a struct value
PATH_ASSIGNMENT = re.compile(r"^\s*(\w+)((?:\.\w+|\[\d+\])*(?:\.\w+|\[\d+\])(?:\.\w+|\[\d+\]))"
                             r"\s*=\s*", re.M)


def set_path(value, path, assigned):
    """Sets the field at `path` (".A.B[0].C") of `value`, a struct read by the parser."""
    steps = re.findall(r"\.(\w+)|\[(\d+)\]", path)
    target = value
    for number, (field, index) in enumerate(steps):
        last = number == len(steps) - 1
        if field and isinstance(target, dict) and "fields" not in target and "struct" not in target:
            # an object built by a data helper, held as YAML: the field in lower camel case
            key = field[0].lower() + field[1:]
            if not last:
                target = target.setdefault(key, {})
            elif assigned is None:
                target.pop(key, None)
            else:
                target[key] = kiali_data_helpers.go_value(assigned)
            continue
        if field:
            if not isinstance(target, dict) or "fields" not in target:
                return
            if last:
                target["fields"][field] = assigned
                return
            target = target["fields"].setdefault(field, {"struct": None, "fields": {}})
        else:
            if not isinstance(target, list) or int(index) >= len(target):
                return
            if last:
                target[int(index)] = assigned
                return
            target = target[int(index)]
BUILD_KEY = re.compile(r'vals\[models\.BuildKey\(kubernetes\.(\w+),\s*"([^"]*)",\s*"([^"]*)"')
LOOKUP = re.compile(r'vals\[models\.IstioValidationKey\{ObjectGVK:\s*kubernetes\.(\w+),\s*'
                    r'Namespace:\s*"([^"]*)",\s*Name:\s*"([^"]*)"\}\]')
# the same with the name first
NAME_FIRST_LOOKUP = re.compile(r'vals\[models\.IstioValidationKey\{ObjectGVK:\s*kubernetes\.(\w+),'
                               r'\s*Name:\s*"([^"]*)",\s*Namespace:\s*"([^"]*)"')


def without_comments(text):
    """Go text without `//` comments (whole lines, and ends of lines after code that hold no
    string)."""
    text = re.sub(r"^\s*//.*\n", "", text, flags=re.M)
    return re.sub(r'[ \t]+//[^"\n]*$', "", text, flags=re.M)


def runs(body, source, package_source, checker):
    """(fields, assertion text) of each run of `checker` in a test body; helpers are looked up
    in the test's file, then in the other test files of its package (`package_source`)."""
    functions = go_functions(without_comments(package_source))
    functions.update(go_functions(without_comments(source)))
    body = without_comments(body)
    body = expand_assertion_helpers(body, functions, checker)
    package_variables = {}  # `var name = value` of the test's file
    for declaration in re.finditer(r"^var (\w+) = (.*?^\})", without_comments(source),
                                   re.M | re.S):
        try:
            package_variables[declaration.group(1)] = Parser(
                declaration.group(2), {}, {}).expression()
        except Unreadable:
            pass
    found = assign(body, package_variables, builders(functions), checker)
    result = []
    for index, (fields, start, result_name, variables) in enumerate(found):
        stop = found[index + 1][1] if index + 1 < len(found) else len(body)
        # the assertions on a run's result (`vals`) stop at the next run; they are read with
        # the result named `vals`
        assertions = re.sub(r"\b%s\b" % re.escape(result_name), "vals", body[start:stop])
        result.append((fields, unroll_key_loops(assertions, variables)))
    return result


KEY_LOOP = re.compile(r"for _, (\w+) := range (\w+) \{")


def unroll_key_loops(assertions, variables):
    """The assertions with a loop over a list of {Name, Namespace} values that looks each up in
    the result (`vals[models.BuildKey(kind, v.Name, v.Namespace, ...)]`, then `assert.True(ok)`)
    written out as one literal look-up per value, and `len(list)` as its number."""
    for loop in KEY_LOOP.finditer(assertions):
        item, listed = loop.groups()
        values = variables.get(listed)
        lookup = re.search(r"vals\[models\.BuildKey\(kubernetes\.(\w+),\s*%s\.Name,\s*%s\.Namespace"
                           % (item, item), assertions[loop.end():])
        if not isinstance(values, list) or not lookup:
            continue
        if not all(isinstance(v, dict) and len(v.get("values", [])) == 2 for v in values):
            continue
        verdict = re.search(r"assert\.(True|False)\(ok\)", assertions[loop.end() + lookup.end():])
        if not verdict:
            continue
        written = "".join('\nvals[models.BuildKey(kubernetes.%s, "%s", "%s")]\nassert.%s(ok)\n'
                          % (lookup.group(1), v["values"][0], v["values"][1], verdict.group(1))
                          for v in values)
        assertions = assertions.replace("len(%s)" % listed, str(len(values))) + written
    return assertions


def object_id(item):
    return "%s %s/%s" % (item["kind"], item["metadata"]["namespace"], item["metadata"]["name"])


def single_object_expectations(item, assertions, keys):
    """(judged ids, [(message key, id)]) of a checker of one object, whose result is the list
    of its checks, or None when the assertions do not decide it."""
    if re.search(r"assert\.Empty\(vals\b", assertions):
        return [object_id(item)], []
    confirmed = re.findall(r'ConfirmIstioCheckMessage\("([\w.]+)",', assertions)
    confirmed = sorted({key for key in confirmed if key in keys})
    if not confirmed and len(keys) == 1 and re.search(
            r"assert\.(?:NotEmpty\(vals\b|False\(valid\)|Equal\([1-9]\d*, len\(vals\)\))",
            assertions):
        confirmed = list(keys)  # a finding, and the checker has one
    if not confirmed:
        return None
    return [object_id(item)], [(key, object_id(item)) for key in confirmed]


def expectations(objects, assertions, kind_name, key):
    """(judged ids, [(message key, id)]) the assertions of a run of a checker of many objects
    decide, or None."""
    decided = object_expectations(objects, assertions, kind_name)
    if decided is None:
        return None
    return decided[0], [(key, judged) for judged in decided[1]]


def object_expectations(objects, assertions, kind_name):
    """(judged ids, ids with a finding) the assertions decide, or None."""
    ids = [object_id(item) for item in objects]
    present, absent = set(), set()
    lookups = [(m.end(), m.group(2), m.group(3)) for m in LOOKUP.finditer(assertions)]
    lookups += [(m.end(), m.group(3), m.group(2)) for m in BUILD_KEY.finditer(assertions)]
    lookups += [(m.end(), m.group(3), m.group(2))
                for m in NAME_FIRST_LOOKUP.finditer(assertions)]
    for end, namespace, name in lookups:
        rest = assertions[end:]
        verdict = re.search(r"assert\.(True|False)\(ok\)", rest)
        if not verdict:
            continue
        key = "%s %s/%s" % (kind_name, namespace, name)
        (present if verdict.group(1) == "True" else absent).add(key)
    empty = re.search(r"assert\.Empty\(vals\b", assertions) is not None
    count = re.search(r"assert\.(?:Equal\((\d+),\s*len\(vals\)\)|Len\(vals,\s*(\d+)\))", assertions)
    count = int(count.group(1) or count.group(2)) if count else None
    if empty:
        if present:
            return None
        return ids, []
    if count is not None:
        if count == len(present):
            return ids, sorted(present)
        if count == len(ids) and not absent:
            return ids, ids
        return None
    if not present and not absent:
        return None
    return sorted(present | absent), sorted(present)
