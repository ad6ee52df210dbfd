"""One factory for every product's client: :class:`Clients` (settings + credentials -> SDK clients).

Which client serves which product:

* PrivateLink and PrivateZone: their product SDKs; the service-linked role actions: the
  ResourceManager SDK (``alibabacloud_resourcemanager20200331``).
* VPC, ECS and ACK (CS): the **generic** ``alibabacloud_tea_openapi`` client with ``call_api``
  (see :mod:`alicloud.openapi`).  The role needs only 4 + 7 + 2 simple actions of these
  products; the generic path goes through the same ACS3 signer, the same error mapping and the
  same transport as a product SDK, and saves three large SDK dependencies.
* Log Service: ``aliyun.log.LogClient``.

Endpoint override (``Settings.endpoint``, e.g. ``http://127.0.0.1:8765``):

* Tea clients get ``Config(endpoint="HOST:PORT", protocol="http")``.  No scheme in ``endpoint``:
  Tea would send and sign it literally in the ``host`` header.
* ``LogClient("HOST:PORT")`` would put the project in front of the host (``p.127.0.0.1``) and
  spend ten seconds in DNS retries; setting the private ``_isRowIp`` flag sends every request to
  ``HOST:PORT`` with the project only in the ``Host`` header.  This private attribute is why
  ``aliyun-log-python-sdk`` is pinned to 0.9.52.

Proxies.  Tea builds its ``requests`` proxy map itself from ``HTTP(S)_PROXY`` and sends through
``Session.send``, which never consults ``NO_PROXY``; ``Config.http_proxy`` cannot say "direct"
(an empty value falls back to the environment).  For a loopback endpoint we therefore mount, on
the exact pooled session Tea will use for that endpoint, an adapter that drops proxies
(:func:`_route_tea_directly`; darabonba-core keys its sessions ``<scheme>://<host>:<port>:pool=<n>``
and we fix ``n`` through ``Config.max_idle_conns``).  The SLS session gets ``trust_env = False``.
An integration test runs with ``HTTP_PROXY`` pointing at a dead port to keep both honest.

Timeouts.  Tea takes milliseconds; SLS takes seconds (a ``(connect, read)`` tuple is passed
through to ``requests``).  The SLS SDK retries 5xx, ``InternalServerError`` and
``RequestTimeout`` ten times, one second apart, inside each call; it would do the same for
transport errors (ten read timeouts of 15 s = 150 s, far beyond a 60 s task).  Our SLS session
turns transport errors into :class:`~alicloud.translate.TransportFailure`, whose text the SDK
does not recognise as retryable, so those are retried once, by :mod:`alicloud.retry`, within
its deadline; the 5xx loop of the SDK (about 10 s) is left alone and not multiplied (such
errors are translated as not retryable).
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

import requests
from alibabacloud_credentials.client import Client as CredentialClient
from alibabacloud_privatelink20200415.client import Client as PrivatelinkClient
from alibabacloud_pvtz20180101.client import Client as PvtzClient
from alibabacloud_resourcemanager20200331.client import Client as ResourceManagerClient
from alibabacloud_tea_openapi.client import Client as OpenApiClient
from alibabacloud_tea_openapi.utils_models import Config as TeaConfig
from aliyun.log import LogClient
from aliyun.log.credentials import Credentials as SlsCredentials
from aliyun.log.credentials import CredentialsProvider as SlsCredentialsProvider
from darabonba.core import DaraCore
from requests.adapters import HTTPAdapter

from alicloud.credentials import CredentialValues, credential_client
from alicloud.errors import AuthError
from alicloud.guard import PolicyGuard
from alicloud.pacing import shared_pacer
from alicloud.retry import RetryPolicy
from alicloud.settings import Settings
from alicloud.translate import TransportFailure, translate

_POOL_SIZE = 16
_USER_AGENT = "eas-rg"

#: Default endpoints of the products reached through the generic client (others come from their SDKs).
_GENERIC_ENDPOINTS = {
    "vpc": {"cn-hangzhou": "vpc.aliyuncs.com"},
    "ecs": {"cn-hangzhou": "ecs-cn-hangzhou.aliyuncs.com"},
    "cs": {},
}


class Clients:
    """SDK clients for every product, built lazily from one :class:`Settings` and one credential source."""

    def __init__(self, settings: Settings | None = None, credentials: CredentialValues | None = None) -> None:
        self.settings = settings if settings is not None else Settings()
        self.credentials = credentials or CredentialValues()
        self._credential = credential_client(self.credentials, allow_sts_calls=not self.settings.endpoint)
        self.guard = PolicyGuard.for_eas_role() if self.settings.as_role else PolicyGuard()
        self.retry_policy = RetryPolicy(deadline_s=self.settings.retry_deadline_s)
        self.pacer = shared_pacer(self.settings.api_qps)
        if self.settings.endpoint_is_loopback:
            _route_tea_directly(self.settings.endpoint_scheme, self.settings.endpoint_host_port)

    def check_credentials(self) -> None:
        """Resolve the credentials once; raise :class:`AuthError` (``CredentialsUnavailable``) saying
        where credentials come from when none can be had, before any product call is built."""
        try:
            self._credential.get_credential()
        except Exception as exc:  # noqa: BLE001 - translated below, or re-raised as it is
            error = translate(exc, product="credentials", action="GetCredential")
            if error is None:
                raise
            raise AuthError(
                f"{error.message}. Give credentials: ALIBABA_CLOUD_ACCESS_KEY_ID and "
                "ALIBABA_CLOUD_ACCESS_KEY_SECRET in the environment, a profile, or an "
                "AlibabaCloudCredentials block (credentials_block; CLI --credentials-block NAME)",
                code=error.code,
                product="credentials",
                action="GetCredential",
            ) from exc

    def __repr__(self) -> str:
        return (
            f"Clients(region={self.settings.region!r}, endpoint={self.settings.endpoint!r}, "
            f"as_role={self.settings.as_role!r}, credentials={self.credentials.kind!r})"
        )

    @property
    def region(self) -> str:
        return self.settings.region

    @cached_property
    def privatelink(self) -> PrivatelinkClient:
        return PrivatelinkClient(self._tea_config())

    @cached_property
    def pvtz(self) -> PvtzClient:
        return PvtzClient(self._tea_config())

    @cached_property
    def resourcemanager(self) -> ResourceManagerClient:
        return ResourceManagerClient(self._tea_config())

    @cached_property
    def vpc(self) -> OpenApiClient:
        return self._generic("vpc")

    @cached_property
    def ecs(self) -> OpenApiClient:
        return self._generic("ecs")

    @cached_property
    def cs(self) -> OpenApiClient:
        return self._generic("cs")

    @cached_property
    def sls(self) -> LogClient:
        if self.settings.endpoint:
            client = LogClient(
                self.settings.endpoint_host_port,
                credentials_provider=_SlsCredentialSource(self._credential),
                source=_USER_AGENT,
            )
            # Every project at HOST:PORT; the project travels in the Host header only.
            client._isRowIp = True  # type: ignore[attr-defined]
        else:
            client = LogClient(
                f"https://{self.region}.log.aliyuncs.com",
                credentials_provider=_SlsCredentialSource(self._credential),
                source=_USER_AGENT,
            )
        client._session = _SlsSession(  # type: ignore[attr-defined]
            direct=self.settings.endpoint_is_loopback
        )
        # A (connect, read) tuple in seconds, passed straight to requests (the stub says int).
        client.timeout = (self.settings.connect_timeout_s, self.settings.read_timeout_s)  # type: ignore[assignment]
        return client

    # ---- helpers ------------------------------------------------------------------------

    def _tea_config(self, endpoint: str | None = None) -> TeaConfig:
        settings = self.settings
        config = TeaConfig(
            credential=self._credential,
            region_id=settings.region,
            connect_timeout=int(settings.connect_timeout_s * 1000),  # Tea timeouts are milliseconds
            read_timeout=int(settings.read_timeout_s * 1000),
            max_idle_conns=_POOL_SIZE,
            user_agent=_USER_AGENT,
        )
        if settings.endpoint:
            config.endpoint = settings.endpoint_host_port
            config.protocol = settings.endpoint_scheme
        elif endpoint:
            config.endpoint = endpoint
        return config

    def _generic(self, product: str) -> OpenApiClient:
        default = _GENERIC_ENDPOINTS[product].get(self.region, f"{product}.{self.region}.aliyuncs.com")
        return OpenApiClient(self._tea_config(default))


class _SlsCredentialSource(SlsCredentialsProvider):
    """Feeds the SLS signer from the same ``alibabacloud_credentials`` client as the Tea SDKs."""

    def __init__(self, client: CredentialClient) -> None:
        self._client = client

    def get_credentials(self) -> SlsCredentials:
        model = self._client.get_credential()
        return SlsCredentials(model.access_key_id, model.access_key_secret, model.security_token or None)


class _SlsSession(requests.Session):
    """The SLS client's session: no proxies for loopback; transport errors left to our retry."""

    def __init__(self, *, direct: bool) -> None:
        super().__init__()
        self.trust_env = not direct

    def request(self, method: str, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:
        try:
            return super().request(method, url, *args, **kwargs)
        except requests.Timeout as exc:
            raise TransportFailure("timeout", type(exc).__name__) from exc
        except requests.RequestException as exc:
            raise TransportFailure("connection", type(exc).__name__) from exc


class _DirectAdapter(HTTPAdapter):
    """An adapter that never goes through a proxy, whatever the environment says."""

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: Any = None,
        verify: bool | str = True,
        cert: Any = None,
        proxies: Any = None,
    ) -> requests.Response:
        return super().send(request, stream=stream, timeout=timeout, verify=verify, cert=cert, proxies={})


def _route_tea_directly(scheme: str, host_port: str) -> None:
    """Make Tea's pooled session for ``scheme://host_port`` ignore ``HTTP(S)_PROXY``."""
    session_key = f"{scheme}://{host_port}:80:pool={_POOL_SIZE}"
    session = DaraCore._get_session(session_key=session_key, protocol=scheme, pool_size=_POOL_SIZE)
    prefix = f"{scheme}://{host_port}/"
    if not isinstance(session.adapters.get(prefix), _DirectAdapter):
        session.mount(prefix, _DirectAdapter(pool_maxsize=_POOL_SIZE))
