#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Validates JSON documents against a JSON Schema (draft 2020-12) with no module beyond the
standard library, for the subset of keywords Sichtung's schemas use.

    check-json-schema.py SCHEMA [DOCUMENT ...]

Without documents it only checks the schema itself: valid JSON, every keyword one this
validator implements (an unknown keyword is an error rather than silently ignored, so a schema
cannot ask for more than is checked), every $ref resolvable. Each DOCUMENT is then validated;
every violation is printed with its JSON path and the exit status is 1 when there is any. When
the python3-jsonschema module happens to be installed, documents are checked with it too."""

import json
import re
import sys

# Keywords that only annotate.
ANNOTATIONS = {"$schema", "$id", "title", "description", "$comment", "examples", "default"}
# Keywords this validator checks.
ASSERTIONS = {"type", "enum", "const", "properties", "required", "additionalProperties",
              "items", "propertyNames", "pattern", "minLength", "minimum", "maximum", "$ref",
              "$defs", "oneOf"}
TYPES = {"object", "array", "string", "integer", "number", "boolean", "null"}


class SchemaError(Exception):
    pass


def resolve(root, ref):
    if not ref.startswith("#/"):
        raise SchemaError(f"only local references are supported: {ref}")
    node = root
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, dict) or part not in node:
            raise SchemaError(f"unresolvable reference {ref}")
        node = node[part]
    return node


def check_schema(root, node, path="#"):
    """Raises SchemaError when @node (a subschema of @root) uses anything unsupported."""
    if isinstance(node, bool):
        return
    if not isinstance(node, dict):
        raise SchemaError(f"{path}: a schema must be an object or a boolean")
    for key, value in node.items():
        if key in ANNOTATIONS:
            continue
        if key not in ASSERTIONS:
            raise SchemaError(f"{path}: unsupported keyword {key!r}")
        if key == "type":
            names = value if isinstance(value, list) else [value]
            for name in names:
                if name not in TYPES:
                    raise SchemaError(f"{path}: unknown type {name!r}")
        elif key == "$ref":
            resolve(root, value)
        elif key in ("properties", "$defs"):
            for name, sub in value.items():
                check_schema(root, sub, f"{path}/{key}/{name}")
        elif key in ("additionalProperties", "items", "propertyNames"):
            check_schema(root, value, f"{path}/{key}")
        elif key == "oneOf":
            for i, sub in enumerate(value):
                check_schema(root, sub, f"{path}/oneOf/{i}")
        elif key == "pattern":
            re.compile(value)
        elif key == "required":
            if not all(isinstance(name, str) for name in value):
                raise SchemaError(f"{path}: required must list names")
            missing = [n for n in value if "properties" in node and n not in node["properties"]
                       and node.get("additionalProperties") is False]
            if missing:
                raise SchemaError(f"{path}: required but not allowed: {missing}")


def type_matches(value, name):
    if name == "object":
        return isinstance(value, dict)
    if name == "array":
        return isinstance(value, list)
    if name == "string":
        return isinstance(value, str)
    if name == "boolean":
        return isinstance(value, bool)
    if name == "null":
        return value is None
    if isinstance(value, bool):
        return False
    if name == "integer":
        return isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    if name == "number":
        return isinstance(value, (int, float))
    return False


def json_equal(a, b):
    # JSON has no distinction between true and 1.
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    return a == b


def validate(root, node, value, path, errors):
    """Appends to @errors every way @value breaks @node."""
    if node is True:
        return
    if node is False:
        errors.append(f"{path}: no value is allowed here")
        return
    if "$ref" in node:
        validate(root, resolve(root, node["$ref"]), value, path, errors)
    if "type" in node:
        names = node["type"] if isinstance(node["type"], list) else [node["type"]]
        if not any(type_matches(value, name) for name in names):
            errors.append(f"{path}: {json.dumps(value)[:60]} is not of type {node['type']}")
            return
    if "const" in node and not json_equal(value, node["const"]):
        errors.append(f"{path}: must be {json.dumps(node['const'])}")
    if "enum" in node and not any(json_equal(value, v) for v in node["enum"]):
        errors.append(f"{path}: {json.dumps(value)[:60]} is not one of {node['enum']}")
    if "oneOf" in node:
        matching = 0
        for sub in node["oneOf"]:
            sub_errors = []
            validate(root, sub, value, path, sub_errors)
            matching += not sub_errors
        if matching != 1:
            errors.append(f"{path}: matches {matching} of the oneOf schemas, not exactly one")
    if isinstance(value, str):
        if "pattern" in node and not re.search(node["pattern"], value):
            errors.append(f"{path}: {value!r} does not match {node['pattern']}")
        if "minLength" in node and len(value) < node["minLength"]:
            errors.append(f"{path}: shorter than {node['minLength']} characters")
    if type_matches(value, "number"):
        if "minimum" in node and value < node["minimum"]:
            errors.append(f"{path}: {value} is less than {node['minimum']}")
        if "maximum" in node and value > node["maximum"]:
            errors.append(f"{path}: {value} is more than {node['maximum']}")
    if isinstance(value, dict):
        properties = node.get("properties", {})
        for name in node.get("required", []):
            if name not in value:
                errors.append(f"{path}: required property {name!r} is missing")
        for name, item in value.items():
            if "propertyNames" in node:
                validate(root, node["propertyNames"], name, f"{path}/{name} (name)", errors)
            if name in properties:
                validate(root, properties[name], item, f"{path}/{name}", errors)
            elif "additionalProperties" in node:
                validate(root, node["additionalProperties"], item, f"{path}/{name}", errors)
    if isinstance(value, list) and "items" in node:
        for i, item in enumerate(value):
            validate(root, node["items"], item, f"{path}/{i}", errors)


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    try:
        check_schema(schema, schema)
    except (SchemaError, re.error) as e:
        print(f"{argv[1]}: {e}", file=sys.stderr)
        return 1

    try:
        import jsonschema
    except ImportError:
        jsonschema = None
    if jsonschema is not None:
        jsonschema.Draft202012Validator.check_schema(schema)

    failed = False
    for document_path in argv[2:]:
        with open(document_path, encoding="utf-8") as f:
            document = json.load(f)
        errors = []
        validate(schema, schema, document, "$", errors)
        if jsonschema is not None:
            validator = jsonschema.Draft202012Validator(schema)
            errors += [f"jsonschema: {e.message}" for e in validator.iter_errors(document)]
        for error in errors:
            print(f"{document_path}: {error}", file=sys.stderr)
        failed = failed or bool(errors)
        if not errors:
            print(f"{document_path}: valid")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
