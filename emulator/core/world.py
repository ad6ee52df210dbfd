"""The emulated world: stores keyed by account then region, one lock, persistence.

Stores are created lazily on first use with the service's ``new_store()`` and filled by its
``seed(store, account_seed, region)``:

* ``scope="region"``: one store per (account, region); ``seed(store, account_section, region)``;
* ``scope="account"``: one per account; ``seed(store, account_section, None)``;
* ``scope="global"``: one for the whole world; ``seed(store, whole_world_document, None)`` (a
  global namespace such as SLS project names needs every account's section).

With a state file, :meth:`World.save` writes every store's ``dump()`` and the pace atomically
(temporary file, then rename) and :meth:`World.load_state` restores them at start-up.

Stores may offer ``settle_all(now)``: apply every due lazy transition (used by ``GET state`` so
the snapshot shows the settled world).  It is optional; so is a handlers object's
``settle_all(now)``, for transitions that need other products' stores.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

from emulator.core.api import Pace
from emulator.core.principals import Principals
from emulator.core.registry import Services

DEFAULT_WORLD = Path(__file__).resolve().parent.parent / "world" / "default.json"
STATE_FORMAT = 1
_NONE = ""  # the region / account key of account- and global-scoped stores


class World:
    """Implements :class:`emulator.core.service.WorldView` for the handlers."""

    def __init__(
        self,
        services: Services,
        world_file: str | Path | None = None,
        pace: str = "instant",
        state_file: str | Path | None = None,
    ):
        self.services = services
        self.world_file = Path(world_file) if world_file else DEFAULT_WORLD
        self.state_file = Path(state_file) if state_file else None
        self.start_pace = pace
        self.pace = Pace(pace)
        self.lock = threading.RLock()
        self.document: dict[str, Any] = {}
        self.principals = Principals({})
        self._stores: dict[str, dict[str, dict[str, Any]]] = {}
        self._read_world_file()

    # -- the world file ------------------------------------------------------------------------

    def _read_world_file(self) -> None:
        self.document = json.loads(self.world_file.read_text(encoding="utf-8"))
        self.principals = Principals.from_world(self.document, self.world_file.parent)

    def reset(self) -> None:
        """Back to the world file: every store dropped (re-seeded on next use), start pace."""
        with self.lock:
            self._read_world_file()
            self._stores = {}
            self.pace.set(self.start_pace)
            self.save()

    def account_ids(self) -> list[str]:
        return [str(a["account_id"]) for a in self.document.get("accounts", [])]

    def seed_of(self, account_id: str) -> dict[str, Any]:
        for account in self.document.get("accounts", []):
            if str(account["account_id"]) == account_id:
                return dict(account)
        raise KeyError(f"unknown account {account_id}")

    def regions(self, account_id: str) -> list[str]:
        return list(self.seed_of(account_id).get("regions", {}))

    def all_regions(self) -> list[str]:
        found: list[str] = []
        for account_id in self.account_ids():
            found += [r for r in self.regions(account_id) if r not in found]
        return found

    # -- stores --------------------------------------------------------------------------------

    def _key(self, product: str, account_id: str | None, region: str | None) -> tuple[str, str]:
        scope = self.services.by_product[product].scope
        if scope == "global":
            return _NONE, _NONE
        if not account_id:
            raise ValueError(f"{product} stores are per account: pass account_id")
        if scope == "account":
            return account_id, _NONE
        if not region:
            raise ValueError(f"{product} stores are per region: pass region")
        return account_id, region

    def store(self, product: str, account_id: str | None = None, region: str | None = None) -> Any:
        if product not in self.services.by_product:
            raise KeyError(f"no service {product!r} is loaded")
        account_key, region_key = self._key(product, account_id, region)
        with self.lock:
            by_region = self._stores.setdefault(account_key, {}).setdefault(region_key, {})
            if product not in by_region:
                by_region[product] = self._new_store(product, account_key, region_key)
            return by_region[product]

    def _new_store(self, product: str, account_key: str, region_key: str) -> Any:
        spec = self.services.by_product[product]
        store = spec.new_store()
        if spec.seed is not None:
            seed = self.document if spec.scope == "global" else self.seed_of(account_key)
            spec.seed(store, seed, region_key or None)
        return store

    def materialise(self) -> None:
        """Create every store the world file implies, so a snapshot shows the whole world."""
        with self.lock:
            for spec in self.services:
                if spec.scope == "global":
                    self.store(spec.product)
                    continue
                for account_id in self.account_ids():
                    if spec.scope == "account":
                        self.store(spec.product, account_id)
                        continue
                    for region in self.regions(account_id):
                        self.store(spec.product, account_id, region)

    def settle_all(self, now: float) -> None:
        """Stores' ``settle_all(now)``, then the handlers' (transitions that read other products)."""
        with self.lock:
            for by_region in self._stores.values():
                for stores in by_region.values():
                    for store in stores.values():
                        settle = getattr(store, "settle_all", None)
                        if callable(settle):
                            settle(now)
            for spec in self.services:
                settle = getattr(spec.handlers(self), "settle_all", None)
                if callable(settle):
                    settle(now)

    def snapshot(self) -> dict[str, Any]:
        """Every store's dump: ``{account or "global": {region or "account": {product: dump}}}``."""
        with self.lock:
            return {
                account or "global": {
                    region or "account": {p: s.dump() for p, s in sorted(stores.items())}
                    for region, stores in sorted(by_region.items())
                }
                for account, by_region in sorted(self._stores.items())
            }

    # -- persistence -----------------------------------------------------------------------------

    def dump(self) -> dict[str, Any]:
        with self.lock:
            stores = {
                account: {
                    region: {p: s.dump() for p, s in products.items()}
                    for region, products in by_region.items()
                }
                for account, by_region in self._stores.items()
            }
            return {"format": STATE_FORMAT, "pace": self.pace.describe(), "stores": stores}

    def load(self, data: dict[str, Any]) -> None:
        with self.lock:
            self._stores = {}
            pace = data.get("pace", {})
            self.pace.set(pace.get("pace", self.start_pace), pace.get("overrides", {}))
            for account, by_region in data.get("stores", {}).items():
                for region, products in by_region.items():
                    for product, dumped in products.items():
                        spec = self.services.by_product.get(product)
                        if spec is None:
                            print(f"emulator: state for unknown service {product!r} ignored", file=sys.stderr)
                            continue
                        self._stores.setdefault(account, {}).setdefault(region, {})[product] = (
                            spec.load_store(dumped)
                        )

    def load_state(self) -> bool:
        """Restore from the state file if it exists; True when something was loaded."""
        if self.state_file is None or not self.state_file.exists():
            return False
        self.load(json.loads(self.state_file.read_text(encoding="utf-8")))
        return True

    def save(self) -> None:
        """Write the state file atomically (no-op without one)."""
        if self.state_file is None:
            return
        with self.lock:
            text = json.dumps(self.dump(), separators=(",", ":"), sort_keys=True)
            directory = self.state_file.resolve().parent
            directory.mkdir(parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(prefix=".state-", suffix=".tmp", dir=directory)
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as out:
                    out.write(text)
                os.replace(temp, self.state_file)
            except BaseException:
                if os.path.exists(temp):
                    os.unlink(temp)
                raise
