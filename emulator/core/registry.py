"""Service discovery: every ``emulator/services/<product>/__init__.py`` exposing ``SERVICE``."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field

from emulator.core.service import ServiceSpec


@dataclass
class Services:
    """The discovered services, indexed the ways the router needs them."""

    by_product: dict[str, ServiceSpec] = field(default_factory=dict)
    by_version: dict[str, ServiceSpec] = field(default_factory=dict)
    sls: ServiceSpec | None = None

    def add(self, spec: ServiceSpec) -> None:
        if spec.product in self.by_product:
            raise ValueError(f"two services named {spec.product!r}")
        self.by_product[spec.product] = spec
        if spec.style == "SLS":
            self.sls = spec
        elif spec.version:
            if spec.version in self.by_version:
                raise ValueError(f"API version {spec.version} served twice")
            self.by_version[spec.version] = spec

    def __iter__(self) -> Iterator[ServiceSpec]:
        return iter(self.by_product.values())


def discover(package: str = "emulator.services", strict: bool = False) -> Services:
    """Import each service package; one that fails to import is reported and skipped.

    Skipping keeps the other products usable while one is broken; ``strict`` turns the report
    into an exception (the test suite uses it so a broken service cannot pass unnoticed).
    """
    services = Services()
    root = importlib.import_module(package)
    for info in sorted(pkgutil.iter_modules(root.__path__), key=lambda m: m.name):
        if not info.ispkg:
            continue
        try:
            module = importlib.import_module(f"{package}.{info.name}")
        except Exception as exc:  # noqa: BLE001 - any import failure of one product
            if strict:
                raise
            print(f"emulator: service {info.name} not loaded: {exc!r}", file=sys.stderr, flush=True)
            continue
        spec = getattr(module, "SERVICE", None)
        if isinstance(spec, ServiceSpec):
            services.add(spec)
    return services
