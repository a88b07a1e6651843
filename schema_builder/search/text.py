"""Text as search sees it (pure): accents and case removed, then cut into tokens.

Twenty indexes `to_tsvector('simple', unaccent(text))` in Postgres; docgate mirrors the
parts of Postgres' default parser that matter for CRM data — e-mail addresses, host names
(and dotted numbers) stay whole, a URL's protocol is dropped, a hyphenated word is kept whole
and as its parts, a signed number keeps its sign (`+442071234567`), other punctuation
separates — so a record has the tokens, in the same positions, that Twenty's vector holds.

Text without spaces between words (Chinese, Japanese) cannot be cut into words; its runs of
such characters are also indexed as overlapping pairs of characters, so that any part of
two characters or more is found by the index (`商业` in `示例商业线索`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator

# Letters NFKD does not decompose, spelled as Postgres' unaccent rules spell them.
_UNACCENT = str.maketrans({
    "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ð": "d", "ł": "l", "þ": "th", "ı": "i", "ħ": "h",
    "ŧ": "t", "ŋ": "n", "ĸ": "k", "ſ": "s",
})
_WORD = r"[^\W_]"
_TOKEN = re.compile(
    rf"""
      (?P<email>{_WORD}[\w.+-]*@{_WORD}[\w-]*(?:\.[\w-]+)+)
    | (?P<protocol>(?:https?|ftp)://)
    | (?P<host>{_WORD}[\w-]*(?:\.[\w-]+)+)
    | (?P<signed>(?<![\w.+-])[+-]\d+)
    | (?P<word>{_WORD}+(?:-{_WORD}+)*)
    """,
    re.VERBOSE,
)
# Scripts written without spaces between words: Han, kana, Hangul, and their punctuation-free ranges.
_UNSPACED = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]{2,}")
MAX_TEXT = 10_000  # characters of one value that are indexed (a long note's start)


def normalize(text: str) -> str:
    """Lower case without accents: `Jöhn` → `john`, `Straße` → `strasse`."""
    lowered = text.lower().translate(_UNACCENT)
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def tokens(text: str) -> Iterator[str]:
    """The tokens of `text`, in order, as Postgres' parser gives them (already normalised)."""
    for match in _TOKEN.finditer(normalize(text[:MAX_TEXT])):
        kind, value = match.lastgroup, match.group()
        if kind == "protocol":
            continue
        yield value
        if kind == "word" and "-" in value:  # a compound, then its parts (as Postgres does)
            yield from value.split("-")


def unspaced_pairs(token: str) -> Iterator[str]:
    """Overlapping pairs of characters of the unspaced runs of a token (CJK text)."""
    for run in _UNSPACED.findall(token):
        for i in range(len(run) - 1):
            yield run[i : i + 2]


def index_tokens(lexemes: Iterable[str]) -> list[str]:
    """What the index holds for a record: its lexemes and the pairs of their unspaced runs."""
    found = set(lexemes)
    for lexeme in list(found):
        found.update(unspaced_pairs(lexeme))
    return sorted(found)


def query_terms(text: str) -> list[str]:
    """The terms a search input looks for, each the start of some token of a matching
    record (a hyphenated word is one term: its compound token starts with it)."""
    terms: list[str] = []
    for word in normalize(text).split():
        parts = list(tokens(word))
        compound = parts[0] if parts and "-" in parts[0] else None
        for part in parts:
            if compound is not None and part != compound and part in compound.split("-"):
                continue
            if part not in terms:
                terms.append(part)
    return terms


def _unspaced(term: str) -> bool:
    return len(term) > 2 and _UNSPACED.fullmatch(term) is not None


def lookup_key(term: str) -> str:
    """The prefix the index is read by for a term: the term, or the first pair of an
    unspaced run longer than a pair (its candidates are then checked whole)."""
    return term[:2] if _unspaced(term) else term


def successor(prefix: str) -> str:
    """The least string greater than every string starting with `prefix` (its range's end)."""
    last = ord(prefix[-1]) + 1
    if 0xD800 <= last <= 0xDFFF:
        last = 0xE000
    return prefix[:-1] + chr(min(last, 0x10FFFF))


def term_matches(term: str, index: Iterable[str]) -> bool:
    """Whether a record whose index holds `index` answers `term`."""
    if _unspaced(term):
        return any(term in token for token in index)
    return any(token.startswith(term) for token in index)
