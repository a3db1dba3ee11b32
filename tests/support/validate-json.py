#!/usr/bin/env python3
"""Checks a JSON document against a JSON Schema with python3-jsonschema (a complete implementation,
independent of Opsdeck's own checker). Usage: validate-json.py SCHEMA DOCUMENT. Exit 0 when valid,
1 with the first error on standard error, 77 when jsonschema is not installed."""
import json
import sys

try:
    import jsonschema
except ImportError:
    print("python3-jsonschema is not installed (scripts/deps.sh --test)", file=sys.stderr)
    sys.exit(77)

with open(sys.argv[1], encoding="utf-8") as f:
    schema = json.load(f)
with open(sys.argv[2], encoding="utf-8") as f:
    document = json.load(f)
try:
    jsonschema.Draft7Validator.check_schema(schema)
    jsonschema.validate(document, schema, cls=jsonschema.Draft7Validator)
except jsonschema.ValidationError as e:
    print(e.message, file=sys.stderr)
    sys.exit(1)
