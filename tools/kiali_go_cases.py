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
"""
import copy
import os
import re

import yaml

import kiali_data_helpers

# The upstream copy the tests' fixture loaders read from (set by the extraction tool).
UPSTREAM = None

TOKEN = re.compile(r'\s*(?:(?P<string>"(?:[^"\\]|\\.)*")|(?P<number>-?\d+)|'
                   r"(?P<name>[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)|(?P<field>(?:\.[A-Za-z_]\w*)+)|"
                   r"(?P<punct>\[\]\*?|\.\.\.|[(){}\[\],:&*]))")


# Package constants whose value matters to a case
CONSTANTS = {
    "config.IstioNamespaceDefault": "istio-system",
    "kubernetes.ExportToAnnotation": "networking.istio.io/exportTo",
    "kubernetes.ServiceType": "Service",
    "kubernetes.K8sHTTPRoutes.Kind": "HTTPRoute",
    "kubernetes.K8sGRPCRoutes.Kind": "GRPCRoute",
    "config.IstioSidecarAnnotation": "sidecar.istio.io/status",
    "config.AmbientAnnotation": "ambient.istio.io/redirection",
    "config.AmbientAnnotationEnabled": "enabled",
    "config.WaypointLabel": "gateway.istio.io/managed",
    "config.WaypointLabelValue": "istio.io-mesh-controller",
}

# Functions whose result is a value a case needs: ports given as a number or a name, an
# outbound traffic policy mode given by its number
VALUE_FUNCTIONS = {
    "intstr.FromInt": lambda number: number,
    "intstr.FromString": lambda name: name,
    "api_networking_v1.OutboundTrafficPolicy_Mode": lambda number: ["REGISTRY_ONLY",
                                                                    "ALLOW_ANY"][number],
}


# Type conversions: their argument is their value
CONVERSIONS = {"uint32", "int32", "int", "string", "k8s_networking_v1.Kind",
               "k8s_networking_v1beta1.Kind", "k8s_networking_v1.Namespace"}


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
        if value in ("&", "*"):  # a pointer taken or followed: the same value here
            return self.expression()
        if value.startswith("[]"):
            self.take()  # element type
            return self.elements("}")
        if value == "{":  # a composite literal of the enclosing type, e.g. a map's value
            if self.peek_at(1) == ":" and self.tokens[self.at][0] == "name":
                return self.struct_fields(None)
            self.at -= 1
            return self.elements("}")
        if kind != "name":
            raise Unreadable("unexpected %s" % value)
        if value in ("true", "false"):
            return value == "true"
        if value == "nil":
            return None
        if value == "map" and self.peek() == "[":
            return self.map_literal()
        if self.peek() == "(":
            self.take("(")
            arguments = self.elements(")")
            result = self.call(value, arguments)
            if (isinstance(result, dict) and "call" in result and self.at < len(self.tokens)
                    and self.tokens[self.at][0] == "field"):
                self.take()  # a field of an opaque call's result (config.Get().X.Y)
                return {"call": value + "()" + self.tokens[self.at - 1][1]}
            return result
        if self.peek() == "{":
            self.take("{")
            if self.peek() == "}" or self.peek_at(1) == ":":
                return kubernetes_object(self.struct_fields(value))
            self.at -= 1
            return self.elements("}")  # a named slice type, e.g. models.Namespaces{...}
        if value in CONSTANTS:
            return CONSTANTS[value]
        if value not in self.variables:
            if "." in value and not value.startswith("data."):
                return {"constant": value}  # a package's constant, e.g. config.DefaultClusterID
            raise Unreadable("unknown variable %s" % value)
        return self.variables[value]

    def peek_at(self, offset):
        at = self.at + offset
        return self.tokens[at][1] if at < len(self.tokens) else None

    def struct_fields(self, type_name):
        """`Field: value, ...}` after a struct literal's `{`."""
        fields = {}
        while self.peek() != "}":
            _, field = self.take()
            self.take(":")
            fields[field] = self.expression()
            if self.peek() == ",":
                self.take(",")
        self.take("}")
        return {"struct": type_name, "fields": fields}

    def map_literal(self):
        """`map[K]V{key: value, ...}` as a dict; `struct{}` values (sets) are None."""
        self.take("[")
        self.take()
        self.take("]")
        _, value_type = self.take()
        if value_type.startswith("[]"):
            self.take()  # the element type of a slice value type (`map[string][]string`)
        if value_type == "struct":
            self.take("{")
            self.take("}")
        entries = {}
        if self.peek() != "{":  # the type alone, as `make(map[string]string)` names it
            return entries
        self.take("{")
        while self.peek() != "}":
            key = self.expression()
            if isinstance(key, dict) and "constant" in key:
                key = key["constant"]  # a package constant (config.DefaultClusterID) by its name
            if isinstance(key, (dict, list)):
                raise Unreadable("a map keyed by composite values")
            self.take(":")
            if value_type == "struct":
                self.take("{")
                self.take("}")
                entries[key] = None
            else:
                entries[key] = self.expression()
            if self.peek() == ",":
                self.take(",")
        self.take("}")
        return entries

    def elements(self, closing):
        if closing == "}":
            self.take("{")
        values = []
        while self.peek() != closing:
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
        if function.startswith("data."):
            helper = getattr(kiali_data_helpers, function[len("data."):], None)
            if helper is None:
                raise Unreadable("unknown data helper %s" % function)
            return helper(*arguments)
        if function in self.functions:
            return self.functions[function](self, arguments)
        if function == "make":
            return {}
        if function in VALUE_FUNCTIONS:
            return VALUE_FUNCTIONS[function](*arguments)
        if function in CONVERSIONS:
            return arguments[0]
        if function == "fmt.Sprintf":
            return arguments[0].replace("%s", "{}").format(*arguments[1:])
        receiver, _, method = function.rpartition(".")
        loader = self.variables.get(receiver)
        if isinstance(loader, dict) and loader.get("struct") == "validations.YamlFixtureLoader":
            return fixture_object(loader["fields"]["Filename"], method, arguments)
        if "." in function and receiver not in self.variables:
            # a function of another package (config.Get(), kubernetes.KubeServiceFQDNs(...)):
            # opaque, its arguments kept (objects among them are still found)
            return {"call": function, "arguments": arguments}
        raise Unreadable("unknown function %s" % function)


# Go types of the Kubernetes objects tests write as struct literals → apiVersion
OBJECT_TYPES = {"networking_v1": "networking.istio.io/v1", "security_v1": "security.istio.io/v1",
                "v1": "v1", "core_v1": "v1", "apps_v1": "apps/v1"}


def kubernetes_object(struct):
    """A struct literal of an Istio object (`&networking_v1.DestinationRule{ObjectMeta: ...,
    Spec: ...}`) as the object; other structs as they are."""
    package, _, kind = (struct.get("struct") or "").partition(".")
    fields = struct["fields"]
    if package not in OBJECT_TYPES or "ObjectMeta" not in fields:
        return struct
    meta = kiali_data_helpers.plain(fields["ObjectMeta"])
    return {"apiVersion": OBJECT_TYPES[package], "kind": kind, "metadata": meta,
            "spec": kiali_data_helpers.plain(fields.get("Spec", {"fields": {}, "struct": ""}))}


def fixture_object(filename, method, arguments):
    """What a YamlFixtureLoader method returns: `Load()` nothing, `FindX(name, namespace)` the
    fixture's object of kind X with that name and namespace."""
    if method == "Load":
        return None
    if not method.startswith("Find") or len(arguments) != 2:
        raise Unreadable("unknown loader method %s" % method)
    kind = method[len("Find"):]
    path = os.path.join(UPSTREAM, "tests/data/validations",
                        filename.split("tests/data/validations/", 1)[1])
    with open(path) as stream:
        for item in yaml.safe_load_all(stream):
            if (item and item.get("kind") == kind and item["metadata"]["name"] == arguments[0]
                    and item["metadata"].get("namespace") == arguments[1]):
                return item
    raise Unreadable("no %s %s/%s in %s" % (kind, arguments[1], arguments[0], path))


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
        if re.search(r"^\s*for\b", body, re.M):
            # it computes (prepareSubsetMap(rules, ...)): opaque, its arguments kept
            callables[name] = lambda parser, arguments, name=name: {"call": name,
                                                                     "arguments": arguments}
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
    simple = list(ASSIGNMENT.finditer(text))
    starts = {m.start() for m in simple}  # `x[0].Labels = v` is ASSIGNMENT's
    matches = sorted(simple + [m for m in PATH_ASSIGNMENT.finditer(text)
                               if m.start() not in starts], key=lambda m: m.start())
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
        name, index, field = match.group(1), match.group(2), match.group(3)
        if name is None:
            continue  # a data helper called for what it changes
        if checker and isinstance(value, dict) and value.get("struct") == checker:
            found.append([value["fields"], match.end() + parser.end(), name, dict(variables)])
            continue
        if index is not None:
            items = variables.get(name)
            if (isinstance(items, list) and int(index) < len(items) and field in METADATA_FIELDS
                    and isinstance(items[int(index)], dict) and "metadata" in items[int(index)]):
                items[int(index)]["metadata"][METADATA_FIELDS[field]] = value
            continue
        if field:
            struct = variables.get(name)
            if isinstance(struct, dict) and "fields" in struct:
                fields = dict(struct["fields"], **{field: value})
                variables[name] = dict(struct, fields=fields)
            continue
        variables[name] = value
    return found


METADATA_FIELDS = {"Annotations": "annotations", "Labels": "labels"}

# `x.A.B[0].C = v`: a field deeper in a value (two steps or more)
PATH_ASSIGNMENT = re.compile(r"^\s*(\w+)((?:\.\w+|\[\d+\])*(?:\.\w+|\[\d+\])(?:\.\w+|\[\d+\]))"
                             r"\s*=\s*", re.M)


def set_path(value, path, assigned):
    """Sets the field at `path` (".Spec.Ports[0].TargetPort") of `value`: an object (its YAML
    field names) or a struct the parser read."""
    steps = re.findall(r"\.(\w+)|\[(\d+)\]", path)
    target = value
    for number, (field, index) in enumerate(steps):
        last = number == len(steps) - 1
        if field and isinstance(target, dict) and "struct" in target:
            if last:
                target["fields"][field] = assigned
                return
            target = target["fields"].setdefault(field, {"struct": None, "fields": {}})
        elif field and isinstance(target, dict):
            key = "metadata" if field == "ObjectMeta" else field[0].lower() + field[1:]
            if not last:
                target = target.setdefault(key, {})
            elif assigned is None:
                target.pop(key, None)
            else:
                target[key] = kiali_data_helpers.plain(assigned)
            if last:
                return
        elif index and isinstance(target, list) and int(index) < len(target):
            if last:
                target[int(index)] = assigned
                return
            target = target[int(index)]
        else:
            return


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


# `x := v`, `x, ok := v`, `x = v`, `x.Field = v` (a field of a struct value), `x[0].Field = v` (the
# metadata of an object in a list), or a bare call of a data helper that changes its argument
ASSIGNMENT = re.compile(r"^\s*(?:(\w+)(?:\[(\d+)\])?(?:\.(\w+))?(?:\s*,\s*\w+)?\s*:?=\s*|(?=data\.\w+\())",
                        re.M)
BUILD_KEY = re.compile(r'vals\[models\.BuildKey\(kubernetes\.(\w+),\s*"([^"]*)",\s*"([^"]*)"')
LOOKUP = re.compile(r'vals\[models\.IstioValidationKey\{ObjectGVK:\s*kubernetes\.(\w+),\s*'
                    r'Namespace:\s*"([^"]*)",\s*Name:\s*"([^"]*)"(?:,\s*Cluster:\s*[\w.]+)?\}\]')
# the same with the name first
NAME_FIRST_LOOKUP = re.compile(r'vals\[models\.IstioValidationKey\{ObjectGVK:\s*kubernetes\.(\w+),'
                               r'\s*Name:\s*"([^"]*)",\s*Namespace:\s*"([^"]*)"')


def without_comments(text):
    """Go text without `//` comments (whole lines, and ends of lines after code that hold no
    string)."""
    text = re.sub(r"^\s*//.*\n", "", text, flags=re.M)
    return re.sub(r'[ \t]+//[^"\n]*$', "", text, flags=re.M)


def runs(body, source, package_source, checker, constructor=None):
    """(fields, assertion text) of each run of `checker` in a test body; helpers are looked up
    in the test's file, then in the other test files of its package (`package_source`).
    `constructor` maps functions that build the checker from positional arguments
    (`NewGlobalChecker(root, sidecar)`) to the field names of those arguments."""
    functions = go_functions(without_comments(package_source))
    functions.update(go_functions(without_comments(source)))
    body = without_comments(body)
    body = expand_assertion_helpers(body, functions, checker)
    callables = builders(functions)
    for name, names in (constructor or {}).items():
        callables[name] = lambda parser, arguments, names=names: {
            "struct": checker, "fields": dict(zip(names, arguments))}
    package_variables = {}  # `var name = value` of the test's file
    for declaration in re.finditer(r"^var (\w+) = (.*?^\})", without_comments(source),
                                   re.M | re.S):
        try:
            package_variables[declaration.group(1)] = Parser(
                declaration.group(2), {}, {}).expression()
        except Unreadable:
            pass
    found = assign(body, package_variables, callables, checker)
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
    """The assertions with a loop over a list of {Name, Namespace} values (`NameNamespace{"a",
    "ns"}`, read as ["a", "ns"]) that looks each up in the result (`vals[models.BuildKey(kind,
    v.Name, v.Namespace, ...)]`, then `assert.True(ok)`) written out as one literal look-up per
    value, and `len(list)` as its number."""
    for loop in KEY_LOOP.finditer(assertions):
        item, listed = loop.groups()
        values = variables.get(listed)
        lookup = re.search(r"vals\[models\.BuildKey\(kubernetes\.(\w+),\s*%s\.Name,\s*%s\.Namespace"
                           % (item, item), assertions[loop.end():])
        if not isinstance(values, list) or not lookup:
            continue
        if not all(isinstance(v, list) and len(v) == 2 for v in values):
            continue
        verdict = re.search(r"assert\.(True|False)\(ok\)", assertions[loop.end() + lookup.end():])
        if not verdict:
            continue
        written = "".join('\nvals[models.BuildKey(kubernetes.%s, "%s", "%s")]\nassert.%s(ok)\n'
                          % (lookup.group(1), v[0], v[1], verdict.group(1)) for v in values)
        assertions = assertions.replace("len(%s)" % listed, str(len(values))) + written
    return assertions


TABLE = re.compile(r"^(\s*)(\w+) := map\[string\]struct \{\n.*?^\1\}\{\n(.*?)^\1\}\n", re.M | re.S)
TABLE_LOOP = re.compile(r"^(\s*)for (\w+), (\w+) := range (\w+) \{\n(.*?)^\1\}\n", re.M | re.S)
BRANCH = re.compile(r"^(\s*)if (true|false) \{\n(.*?)^\1\} else \{\n(.*?)^\1\}\n", re.M | re.S)


VALUES_LOOP = re.compile(r'^(\s*)for _, (\w+) := range \[\]string\{((?:"[^"]*",?\s*)+)\} \{\n'
                         r'(.*?)^\1\}\n', re.M | re.S)


def table_bodies(body):
    """(entry name, body) per entry of a table-driven test: `cases := map[string]struct{...}{
    "name": {field: value, ...}, ...}` and `for name, tc := range cases { ... }`, the loop's body
    written out per entry with `tc.field` replaced by the entry's value (as text) and `if
    true/false {...} else {...}` by the branch taken; or a loop over a list of strings (`for _,
    host := range []string{"a", "b"} { ... }`), its body per string. [] when the body is no such
    test."""
    values_loop = VALUES_LOOP.search(body)
    if values_loop:
        return [(value, body[:values_loop.start()] + re.sub(
                    r"\b%s\b" % values_loop.group(2), lambda _: '"%s"' % value,
                    values_loop.group(4)))
                for value in re.findall(r'"([^"]*)"', values_loop.group(3))]
    table, loop = TABLE.search(body), TABLE_LOOP.search(body)
    if not table or not loop or loop.group(4) != table.group(2):
        return []
    found = []
    for entry in re.finditer(r'^\s*"([^"]+)":\s*\{\n(.*?)^\s*\},\n', table.group(3), re.M | re.S):
        values = dict(re.findall(r"^\s*(\w+):\s*(.*?),\s*$", entry.group(2), re.M))
        text = loop.group(5)
        text = re.sub(r"\b%s\.(\w+)" % loop.group(3),
                      lambda m: values.get(m.group(1), '""' if "Message" in m.group(1) else "false"),
                      text)
        text = text.replace("t.Run(%s, func(t *testing.T) {" % loop.group(2), "")
        text = BRANCH.sub(lambda m: m.group(3) if m.group(2) == "true" else m.group(4), text)
        found.append((entry.group(1), body[:table.start()] + text))
    return found


def object_id(item):
    return "%s %s/%s" % (item["kind"], item["metadata"].get("namespace", ""),
                         item["metadata"]["name"])


SEVERITY = {"models.ErrorSeverity": "Error", "models.WarningSeverity": "Warning",
            "models.Unknown": "Info"}


KINDS = {"DestinationRules": "DestinationRule", "VirtualServices": "VirtualService",
         "ServiceEntries": "ServiceEntry", "Gateways": "Gateway", "Sidecars": "Sidecar"}
KEY_VARIABLE = re.compile(r'(\w+) := models\.BuildKey\(kubernetes\.(\w+), "([^"]+)", "([^"]+)"')
CODE_PRESENT = re.compile(r'assert\.True\(hasCheckCode\(vals\[(\w+)\], "(KIA\d+)"\)')
CODE_ABSENT = re.compile(r'if v, ok := vals\[(\w+)\]; ok \{\s*assert\.False\(hasCheckCode\(v, "(KIA\d+)"')
CODE_ABSENT_LOOP = re.compile(
    r'for _, name := range \[\]string\{([^}]*)\} \{\s*key := models\.BuildKey\(kubernetes\.(\w+), '
    r'name, "([^"]+)"[^\n]*\n\s*if v, ok := vals\[key\]; ok \{\s*assert\.False\(hasCheckCode\(v, '
    r'"(KIA\d+)"')


def check_code_expectations(assertions):
    """(judged ids, [(id, code, present)]) of assertions on the codes of objects
    (`assert.True(hasCheckCode(vals[key], "KIA0201"))`, or `assert.False(...)` on a key that may
    be absent), or None when there are none."""
    keys = {var: "%s %s/%s" % (KINDS[kind], ns, name)
            for var, kind, name, ns in KEY_VARIABLE.findall(assertions)}
    found = [(keys[var], code, True) for var, code in CODE_PRESENT.findall(assertions)
             if var in keys]
    found += [(keys[var], code, False) for var, code in CODE_ABSENT.findall(assertions)
              if var in keys]
    for names, kind, ns, code in CODE_ABSENT_LOOP.findall(assertions):
        found += [("%s %s/%s" % (KINDS[kind], ns, name), code, False)
                  for name in re.findall(r'"([^"]+)"', names)]
    if not found:
        return None
    return sorted({judged for judged, _, _ in found}), sorted(set(found))


def single_object_expectations(item, assertions, keys):
    """(judged ids, [(message key, id, severity or None)]) of a checker of one object, whose
    result is the list of its checks, or None when the assertions do not decide it. A severity
    is the one the test asserts on that check (`assert.Equal(models.X, vals[i].Severity)`)."""
    if re.search(r"assert\.Empty\(vals\b", assertions):
        return [object_id(item)], []
    confirmed = [(key, argument) for key, argument in re.findall(
        r'ConfirmIstioCheckMessage\("([\w.]+)",\s*(\w+(?:\[\w+\])?)\)', assertions)
        if key in keys]
    severities = dict((argument, SEVERITY.get(severity)) for severity, argument in re.findall(
        r"assert\.Equal\(([\w.]+),\s*(\w+(?:\[\d+\])?)\.Severity\)", assertions))
    if not confirmed:
        # a checker of one check: its result not being empty is that check
        if len(keys) == 1 and re.search(
                r"assert\.(?:NotEmpty\(vals\b|False\(valid\)|Equal\([1-9]\d*, len\(vals\)\))",
                assertions):
            return [object_id(item)], [(keys[0], object_id(item), None)]
        return None
    found = sorted({(key, object_id(item), severities.get(argument))
                    for key, argument in confirmed}, key=str)
    return [object_id(item)], found


def expectations(objects, assertions, kind_name, key):
    """(judged ids, [(message key, id)]) the assertions of a run of a checker of many objects
    decide, or None."""
    decided = object_expectations(objects, assertions, kind_name)
    if decided is None:
        return None
    return decided[0], [(key, judged) for judged in decided[1]]


def keyed_object_expectations(objects, assertions, kind_name, keys):
    """(judged ids, [(message key, id)]) of a checker of many objects whose tests look an object
    up (`v1 := vals[...Key{...}]`) and confirm the message of its check, or None. An object looked
    up and found (`assert.True(ok)`, `assert.NotNil(v1)`, `assert.False(v1.Valid)`) must name the
    check."""
    ids = [object_id(item) for item in objects]
    if re.search(r"assert\.Empty\(vals\b", assertions):
        return ids, []
    lookups = [(m.start(), m.end(), "%s %s/%s" % (kind_name, m.group(2), m.group(3)))
               for m in LOOKUP.finditer(assertions)]
    found, absent = [], set()
    for index, (_, end, judged) in enumerate(lookups):
        segment = assertions[end:lookups[index + 1][0] if index + 1 < len(lookups) else None]
        if re.search(r"assert\.False\(ok\)", segment):
            absent.add(judged)
            continue
        if not re.search(r"assert\.(?:True\(ok\)|NotNil\(|False\(\w+\.Valid\))", segment):
            continue
        confirmed = [key for key in re.findall(r'ConfirmIstioCheckMessage\("([\w.]+)"', segment)
                     if key in keys]
        if not confirmed:
            return None
        found += [(key, judged) for key in confirmed]
    if not found and not absent:
        return None
    count = re.search(r"assert\.(?:Equal\((\d+),\s*len\(vals\)\)|Len\(vals,\s*(\d+)\))", assertions)
    present = {judged for _, judged in found}
    if count and int(count.group(1) or count.group(2)) == len(present):
        return ids, sorted(set(found))
    return sorted(present | absent), sorted(set(found))


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
