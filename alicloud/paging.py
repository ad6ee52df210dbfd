"""Paging, done once: NextToken/MaxResults (PrivateLink, ECS) and PageNumber/PageSize (VPC, pvtz).

Each page is fetched by the caller's function (one API call, with its own retries); these
helpers only loop and stop.  Both refuse to loop forever on a server that repeats itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")

#: A listing longer than this many pages is a server bug, not a big account.
MAX_PAGES = 1000


class PagingError(RuntimeError):
    """The server's paging did not terminate (a repeated token, or pages beyond the total)."""


def all_by_token(fetch: Callable[[str | None], tuple[Sequence[T], str | None]]) -> list[T]:
    """Follow ``NextToken`` until it is empty.

    ``fetch(token)`` returns ``(items, next_token)``; it receives None for the first page.
    """
    items: list[T] = []
    token: str | None = None
    seen: set[str] = set()
    for _ in range(MAX_PAGES):
        page, token = fetch(token)
        items.extend(page)
        if not token:
            return items
        if token in seen:
            raise PagingError(f"NextToken {token!r} came back twice; stopping after {len(items)} items")
        seen.add(token)
    raise PagingError(f"more than {MAX_PAGES} pages")


def all_by_number(fetch: Callable[[int, int], tuple[Sequence[T], int]], *, page_size: int) -> list[T]:
    """Walk ``PageNumber`` from 1 until ``TotalCount`` items are read or a page comes back short.

    ``fetch(page_number, page_size)`` returns ``(items, total_count)``.
    """
    if page_size < 1:
        raise ValueError(f"page_size must be at least 1, not {page_size}")
    items: list[T] = []
    for number in range(1, MAX_PAGES + 1):
        page, total = fetch(number, page_size)
        items.extend(page)
        if len(page) < page_size or len(items) >= total:
            return items
    raise PagingError(f"more than {MAX_PAGES} pages of {page_size}")
