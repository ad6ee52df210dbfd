"""Paging helpers: every item once, and no endless loops."""

from __future__ import annotations

import pytest

from alicloud.paging import PagingError, all_by_number, all_by_token


def test_all_by_token_follows_next_token_until_empty() -> None:
    pages = {None: ([1, 2], "t1"), "t1": ([3, 4], "t2"), "t2": ([5], "")}
    seen: list[str | None] = []

    def fetch(token: str | None) -> tuple[list[int], str | None]:
        seen.append(token)
        return pages[token]

    assert all_by_token(fetch) == [1, 2, 3, 4, 5]
    assert seen == [None, "t1", "t2"]


def test_all_by_token_single_page_without_token() -> None:
    assert all_by_token(lambda token: ([], None)) == []


def test_all_by_token_repeated_token_raises() -> None:
    with pytest.raises(PagingError, match="came back twice"):
        all_by_token(lambda token: ([1], "same"))


def test_all_by_number_reads_until_total() -> None:
    items = list(range(7))
    asked: list[tuple[int, int]] = []

    def fetch(number: int, size: int) -> tuple[list[int], int]:
        asked.append((number, size))
        start = (number - 1) * size
        return items[start : start + size], len(items)

    assert all_by_number(fetch, page_size=3) == items
    assert asked == [(1, 3), (2, 3), (3, 3)]


def test_all_by_number_stops_on_exact_multiple_without_an_extra_call() -> None:
    items = list(range(6))
    asked: list[int] = []

    def fetch(number: int, size: int) -> tuple[list[int], int]:
        asked.append(number)
        return items[(number - 1) * size : number * size], len(items)

    assert all_by_number(fetch, page_size=3) == items
    assert asked == [1, 2]


def test_all_by_number_stops_on_a_short_page_even_if_total_lies() -> None:
    assert all_by_number(lambda number, size: ([number], 1000), page_size=2) == [1]


def test_all_by_number_rejects_a_zero_page_size() -> None:
    with pytest.raises(ValueError, match="page_size"):
        all_by_number(lambda number, size: ([], 0), page_size=0)
