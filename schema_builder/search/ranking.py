"""How well a record answers a search (pure): Twenty's two figures, and the label's.

Twenty ranks with Postgres: `tsRankCD` is `ts_rank_cd(vector, every term)` and `tsRank` is
`ts_rank(vector, any term)`, both with a prefix query (`jo:*`) and every lexeme of weight D.
These are the same functions computed on docgate's vector, with Postgres' arithmetic (single
precision where Postgres uses it, the result as a `real`): where docgate's tokens are
Postgres' the figures are Twenty's, e.g. 0.1 and 0.06079271 for one lexeme matched once.

docgate adds one more key, used only between records Twenty ranks equal: how the label
answers — the whole label (`Jo` for `jo`), its start (`John Smith`), a start of each of its
words (`Mary Jones`), or not at all.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence

from schema_builder.search.text import normalize, tokens
from schema_builder.search.vectors import Positions

WEIGHT_D = struct.unpack("f", struct.pack("f", 0.1))[0]  # Postgres' default weight of D, a float4
_ZETA_2 = 1.64493406685  # π²/6, by which Postgres' ts_rank divides
EXACT_LABEL, LABEL_START, LABEL_WORDS, NO_LABEL_MATCH = 0, 1, 2, 3


def f32(value: float) -> float:
    """`value` rounded to single precision, as a C `float` holds it."""
    rounded: float = struct.unpack("f", struct.pack("f", value))[0]
    return rounded


def real(value: float) -> float:
    """A float4 as Postgres prints it (the shortest decimal that reads back the same)."""
    single = f32(value)
    for digits in range(1, 10):
        text = f"{single:.{digits}g}"
        if f32(float(text)) == single:
            return float(text)
    return single


def _matching(positions: Positions, term: str) -> list[str]:
    return [lexeme for lexeme in positions if lexeme.startswith(term)]


def ts_rank(positions: Positions, terms: Sequence[str]) -> float:
    """Postgres' `ts_rank` of an OR of prefix terms (`calc_rank_or`)."""
    unique = list(dict.fromkeys(terms))
    if not unique or not positions:
        return 0.0
    res = 0.0
    for term in unique:
        for lexeme in _matching(positions, term):
            resj, wjm, jm = 0.0, -1.0, 0
            for j, _ in enumerate(sorted(positions[lexeme])[:256]):
                resj = f32(resj + f32(WEIGHT_D / ((j + 1) * (j + 1))))
                if WEIGHT_D > wjm:
                    wjm, jm = WEIGHT_D, j
            inner = f32(f32(wjm + resj) - f32(wjm / ((jm + 1) * (jm + 1))))
            res = f32(res + inner / _ZETA_2)
    return real(f32(res / len(unique)))


def _cover(doc: Sequence[tuple[int, frozenset[int]]], start: int, needed: int) -> tuple[int, int] | None:
    """The next cover from `start` (indexes of its first and last entries): Postgres' `Cover`
    for an AND of terms — the shortest run ending first that holds every term."""
    seen: set[int] = set()
    for last in range(start, len(doc)):
        seen |= doc[last][1]
        if len(seen) == needed:
            break
    else:
        return None
    seen = set()
    for first in range(last, start - 1, -1):
        seen |= doc[first][1]
        if len(seen) == needed:
            return first, last
    return None  # unreachable: the forward scan found every term in this run


def ts_rank_cd(positions: Positions, terms: Sequence[str]) -> float:
    """Postgres' `ts_rank_cd` of an AND of prefix terms (`calc_rank_cd`, no normalisation)."""
    unique = list(dict.fromkeys(terms))
    if not unique or not positions:
        return 0.0
    at: dict[int, set[int]] = {}
    for i, term in enumerate(unique):
        for lexeme in _matching(positions, term):
            for position in positions[lexeme]:
                at.setdefault(position, set()).add(i)
    doc = [(p, frozenset(found)) for p, found in sorted(at.items())]
    inverse = 1.0 / WEIGHT_D
    wdoc, start = 0.0, 0
    while (cover := _cover(doc, start, len(unique))) is not None:
        first, last = cover
        inv_sum = 0.0
        for _ in range(first, last + 1):
            inv_sum += inverse
        cpos = (last - first + 1) / inv_sum
        noise = (doc[last][0] - doc[first][0]) - (last - first)
        if noise < 0:
            noise = (last - first) // 2
        wdoc += cpos / (1 + noise)
        start = first + 1
    return real(f32(wdoc))


def label_class(label: str, search_input: str, terms: Sequence[str]) -> int:
    """How a record's label answers the input: 0 whole, 1 its start, 2 each term a start of
    one of its words, 3 not (smaller is better)."""
    wanted = " ".join(normalize(search_input).split())
    if not wanted:
        return NO_LABEL_MATCH
    named = " ".join(normalize(label).split())
    if named == wanted:
        return EXACT_LABEL
    if named.startswith(wanted):
        return LABEL_START
    words = set(tokens(label))
    if terms and all(any(w.startswith(t) for w in words) for t in terms):
        return LABEL_WORDS
    return NO_LABEL_MATCH
