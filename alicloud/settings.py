"""Process knobs of the client layer: the one place that reads the environment (prefix ``EASRG_``).

Stored or secret values (keys, role ARNs) live in the ``AlibabaCloudCredentials`` block, never
here.  Everything here is safe to log.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from pydantic import field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

#: Prefect task timeouts are 60 s; one SDK attempt (connect + read) must always fit well inside.
TASK_TIMEOUT_S = 60.0


class Settings(BaseSettings):
    """Client-layer settings.

    ``endpoint``: one URL (``http://127.0.0.1:8765``) that points every product at an emulator;
    empty means the real regional endpoints.  Timeouts are in seconds here; the Tea SDK wants
    milliseconds and the conversion happens once, in :mod:`alicloud.clients`.
    """

    model_config = SettingsConfigDict(env_prefix="EASRG_", frozen=True, extra="ignore")

    endpoint: str = ""
    region: str = "cn-hangzhou"
    connect_timeout_s: float = 5.0
    read_timeout_s: float = 15.0
    as_role: bool = False
    role_service_name: str = "customerclusters.eas.pai.aliyuncs.com"
    retry_deadline_s: float = 20.0
    #: Requests per second per API action this process sends at most (``alicloud.pacing``): the
    #: account's per-API budget, or less when other processes share it.  0 turns pacing off.
    api_qps: float = 10.0
    #: Tag each task run with ``easrg`` and its product, so a Prefect tag concurrency limit can pace
    #: each API.  Prefect then asks its server for a slot at every task run; on the embedded SQLite
    #: server that costs up to seconds under concurrency, so the demo and tests turn it off.
    task_tags: bool = True

    @field_validator("endpoint")
    @classmethod
    def _endpoint_is_a_base_url(cls, value: str) -> str:
        value = value.strip()
        if not value:
            return ""
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(
                f"endpoint must be a URL such as http://127.0.0.1:8765, not {value!r}: add the scheme"
            )
        if parts.path not in ("", "/") or parts.query:
            raise ValueError(f"endpoint must not carry a path or query: use {parts.scheme}://{parts.netloc}")
        return f"{parts.scheme}://{parts.netloc}"

    @field_validator("region")
    @classmethod
    def _region_is_set(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("region must not be empty: set EASRG_REGION, e.g. cn-hangzhou")
        return value.strip()

    @model_validator(mode="after")
    def _timeouts_fit_in_a_task(self) -> Settings:
        for name in ("connect_timeout_s", "read_timeout_s", "retry_deadline_s"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive")
        if self.api_qps < 0:
            raise ValueError("api_qps must be 0 (no pacing) or a positive number of requests per second")
        if self.connect_timeout_s + self.read_timeout_s >= TASK_TIMEOUT_S:
            raise ValueError(
                "connect_timeout_s + read_timeout_s must stay below the 60 s task timeout: "
                "lower read_timeout_s"
            )
        return self

    # ---- derived values -------------------------------------------------------------------

    @property
    def endpoint_scheme(self) -> str:
        """``http`` or ``https`` of the override; ``https`` without one."""
        return urlsplit(self.endpoint).scheme if self.endpoint else "https"

    @property
    def endpoint_host_port(self) -> str:
        """``HOST:PORT`` of the override (what Tea's ``Config.endpoint`` wants: no scheme)."""
        return urlsplit(self.endpoint).netloc if self.endpoint else ""

    @property
    def endpoint_is_loopback(self) -> bool:
        """True when the override names this machine; proxies must then never be used."""
        if not self.endpoint:
            return False
        host = urlsplit(self.endpoint).hostname or ""
        if host == "localhost":
            return True
        try:
            return ipaddress.ip_address(host).is_loopback
        except ValueError:
            return False
