"""The benchmark's data set: deterministic people and companies with composite fields and relations.

The same seed always gives the same records, ids included, so every run (and every peer)
loads identical data. Ids follow docgate's own UUIDv7 layout (time-ordered, from a fixed
epoch plus the record's index), so ordering by id is ordering by generation, as it is for
records docgate creates itself.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

SEED = 42
PEOPLE = 10_000
COMPANIES = 1_000
BATCH = 60  # docgate's batch limit (DOCGATE_MAX_BATCH_SIZE)

CITIES = ["Berlin", "Paris", "London", "Madrid", "Rome", "Vienna", "Prague", "Warsaw", "Lisbon", "Dublin"]
# Scenario (c) filters on the first half of the cities: half of the people match.
FILTER_CITIES = CITIES[:5]
FIRST_NAMES = [
    "Ada", "Alan", "Grace", "Edsger", "Barbara", "Donald", "Margaret", "Ken", "Frances", "Dennis",
    "Radia", "John", "Hedy", "Tim", "Katherine", "Linus", "Sophie", "Guido", "Lynn", "Niklaus",
]
LAST_NAMES = [
    "Lovelace", "Turing", "Hopper", "Dijkstra", "Liskov", "Knuth", "Hamilton", "Thompson", "Allen",
    "Ritchie", "Perlman", "Backus", "Lamarr", "Berners-Lee", "Johnson", "Torvalds", "Wilson",
    "van Rossum", "Conway", "Wirth",
]
JOB_TITLES = ["Engineer", "Designer", "CTO", "CEO", "Sales", "Support", "Marketing", "Analyst", "Product", "Ops"]
WORDS = ["Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark", "Wayne", "Tyrell", "Cyberdyne", "Soylent"]
COUNTRIES = ["DE", "FR", "GB", "ES", "IT", "AT", "CZ", "PL", "PT", "IE"]
CURRENCIES = ["EUR", "USD", "GBP"]
_EPOCH_MS = 1_767_225_600_000  # 2026-01-01T00:00:00Z: the "creation time" of record 0


def record_id(kind: int, index: int, rng: random.Random) -> str:
    """A UUIDv7-layout id: time = epoch + kind offset + index ms, random tail from `rng`."""
    millis = _EPOCH_MS + kind * 10_000_000 + index
    rand = rng.getrandbits(62)
    value = (millis & ((1 << 48) - 1)) << 80 | 0x7 << 76 | (index & 0xFFF) << 64 | 0x2 << 62 | rand
    return str(uuid.UUID(int=value))


@dataclass(frozen=True)
class DataSet:
    companies: list[dict[str, Any]]
    people: list[dict[str, Any]]

    def batches(self, records: list[dict[str, Any]], size: int = BATCH) -> Iterator[list[dict[str, Any]]]:
        for start in range(0, len(records), size):
            yield records[start : start + size]


def company(i: int, rng: random.Random) -> dict[str, Any]:
    word = WORDS[i % len(WORDS)]
    city = CITIES[(i * 7) % len(CITIES)]
    return {
        "id": record_id(1, i, rng),
        "position": float(i),
        "name": f"{word} {i:04d}",
        "domainName": {"primaryLinkUrl": f"https://{word.lower()}{i:04d}.example.com", "primaryLinkLabel": word},
        "employees": 10 + (i * 37) % 990,
        "address": {
            "addressStreet1": f"{1 + i % 200} Main Street",
            "addressCity": city,
            "addressPostcode": f"{10000 + i * 13 % 89999}",
            "addressCountry": COUNTRIES[(i * 7) % len(COUNTRIES)],
        },
        "annualRecurringRevenue": {
            "amountMicros": rng.randrange(1, 5_000) * 1_000_000_000,
            "currencyCode": CURRENCIES[i % len(CURRENCIES)],
        },
        "idealCustomerProfile": i % 3 == 0,
    }


def person(j: int, rng: random.Random, company_ids: list[str], *, tag: str = "") -> dict[str, Any]:
    """Person j. `tag` makes the unique email distinct for records created by the write scenarios."""
    first = FIRST_NAMES[j % len(FIRST_NAMES)]
    last = LAST_NAMES[(j // len(FIRST_NAMES)) % len(LAST_NAMES)]
    return {
        "id": record_id(2, j, rng),
        "position": float(j),
        "name": {"firstName": first, "lastName": last},
        "emails": {"primaryEmail": f"person{j:05d}{tag}@example.com"},
        "phones": {
            "primaryPhoneNumber": f"6{rng.randrange(10_000_000, 99_999_999)}",
            "primaryPhoneCountryCode": COUNTRIES[j % len(COUNTRIES)],
            "primaryPhoneCallingCode": "+33",
        },
        "linkedinLink": {"primaryLinkUrl": f"https://linkedin.example.com/in/person{j:05d}"},
        "jobTitle": JOB_TITLES[rng.randrange(len(JOB_TITLES))],
        "city": CITIES[j % len(CITIES)],
        "companyId": company_ids[rng.randrange(len(company_ids))],
    }


def generate(people: int = PEOPLE, companies: int = COMPANIES, seed: int = SEED) -> DataSet:
    rng = random.Random(seed)
    company_records = [company(i, rng) for i in range(companies)]
    ids = [c["id"] for c in company_records]
    return DataSet(company_records, [person(j, rng, ids) for j in range(people)])


def write_batch(
    start: int, size: int, company_ids: list[str], *, tag: str, with_ids: bool = False
) -> list[dict[str, Any]]:
    """New people for the write scenarios (distinct emails per `tag`), deterministic per start."""
    rng = random.Random(SEED * 1_000_003 + start)
    out = []
    for j in range(start, start + size):
        p = person(j, rng, company_ids, tag=tag)
        if not with_ids:
            del p["id"]
        out.append(p)
    return out
