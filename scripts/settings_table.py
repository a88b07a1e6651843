"""Rewrite the README's settings table from `gateway.settings` (run after adding a setting).

`python scripts/settings_table.py` — the table sits between the line `| variable | default |
meaning |` and the next blank line; a test checks that it matches the code.
"""

from __future__ import annotations

from pathlib import Path

from gateway.settings import settings_table

README = Path(__file__).resolve().parents[1] / "README.md"
HEADER = "| variable | default | meaning |\n|---|---|---|\n"


def main() -> None:
    text = README.read_text()
    start = text.index(HEADER) + len(HEADER)
    end = text.index("\n\n", start) + 1
    rows = "".join(
        f"| `{env}` | {f'`{default}`' if default else '(unset)'} | {doc} |\n" for env, default, doc in settings_table()
    )
    README.write_text(text[:start] + rows + text[end:])


if __name__ == "__main__":
    main()
