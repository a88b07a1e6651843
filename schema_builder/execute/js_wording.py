"""graphql-core's messages in the words of graphql-js 16, the GraphQL library of Twenty.

graphql-core words its validation and coercion errors as graphql-js 17 does, with single
quotes: `Value 'x' does not exist in 'E' enum.` Twenty's clients (and its integration
specs) read graphql-js 16's: `Value "x" does not exist in "E" enum.`, `Field "eq" is not
defined by type "T".` The translation is textual, on messages graphql-core built (never on
docgate's own, which name things their own way).
"""

from __future__ import annotations

import re

# graphql-core: Expected value of type 'T' not to include unknown field 'f'[. Did you mean …? Found|, found]: …
_UNKNOWN_FIELD = re.compile(
    r"Expected value of type '(?P<type>[^']+)' not to include unknown field '(?P<field>[^']+)'"
    r"(?:\.(?P<hint> Did you mean .*?\?) Found|, found): .*\.$",
    re.DOTALL,
)
_PY_LITERAL = re.compile(
    r"(non-string value|non boolean value|non-integer value|non numeric value): (True|False|None)\."
)
_JS = {"True": "true", "False": "false", "None": "null"}
_QUOTED = re.compile(r"'([^'\n]*)'")


def graphql_js_message(message: str) -> str:
    """The message graphql-js 16 would have written for this graphql-core one."""
    message = _UNKNOWN_FIELD.sub(
        lambda m: f"Field '{m['field']}' is not defined by type '{m['type']}'.{m['hint'] or ''}", message
    )
    message = _PY_LITERAL.sub(lambda m: f"{m[1]}: {_JS[m[2]]}.", message)
    return _QUOTED.sub(r'"\1"', message)
