"""Bot API requests over aiohttp instead of python-telegram-bot's default httpx.

httpx spends about 1.1 ms of CPU on each call made one at a time and about 3 ms when a hundred
run side by side (httpcore tries to import sniffio several times per call, and its connection
pool rescans every waiting request). aiohttp makes the same call for 0.15 to 0.65 ms, and the
bot makes one or two calls for every update it handles. See docs/benchmarks.md.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit
from urllib.request import getproxies, proxy_bypass

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import JSONDict, ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData


class AiohttpRequest(BaseRequest):
    """Makes the HTTP requests of a python-telegram-bot ``Bot`` through one aiohttp session.

    Timeouts mean what they mean for PTB's ``HTTPXRequest`` (with the same defaults), except
    that aiohttp has no write timeout: a request that cannot be written in time fails on the
    read timeout instead. Proxies come from the environment (``HTTPS_PROXY``, ``NO_PROXY``...),
    as with httpx, looked up once per host rather than on every call as aiohttp's
    ``trust_env`` does (that alone cost 0.8 ms a call).
    """

    def __init__(
        self,
        connections: int = 256,
        read_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
    ) -> None:
        self._connections = connections
        self._read_timeout = read_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._session: aiohttp.ClientSession | None = None
        self._proxies: dict[tuple[str, str], str | None] = {}

    @property
    def read_timeout(self) -> float | None:
        """The read timeout used when a call gives none."""
        return self._read_timeout

    async def initialize(self) -> None:
        """Open the session (in the running event loop)."""
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._connections),
                headers={"User-Agent": self.USER_AGENT},
            )

    async def shutdown(self) -> None:
        """Close the session and its connections."""
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Make one request; the status code and body, or TimedOut / NetworkError."""
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        read = _given(read_timeout, self._read_timeout)
        connect = _given(connect_timeout, self._connect_timeout)
        pool = _given(pool_timeout, self._pool_timeout)
        timeout = aiohttp.ClientTimeout(
            total=None,
            connect=None if connect is None or pool is None else connect + pool,
            sock_connect=connect,
            sock_read=read,
        )
        try:
            async with self._session.request(
                method, url, data=_body(request_data), timeout=timeout, proxy=self._proxy(url)
            ) as response:
                return response.status, await response.read()
        except TimeoutError as error:
            raise TimedOut from error
        except aiohttp.ClientError as error:
            raise NetworkError(f"aiohttp.{type(error).__name__}: {error}") from error

    @staticmethod
    def parse_json_payload(payload: bytes) -> JSONDict:
        """The answer's JSON; a body that is not a Bot API answer is a NetworkError.

        A body cut short or replaced on its way (by a proxy's error page, say) is a fault of
        the network like a dropped connection, so the call is tried again as one. The body is
        not logged: it may hold what people wrote.
        """
        try:
            data: Any = json.loads(payload.decode("utf-8", "replace"))
        except ValueError:
            raise NetworkError("the Bot API answer was not JSON") from None
        if not isinstance(data, dict) or ("result" not in data and data.get("ok") is not False):
            raise NetworkError("the Bot API answer had no result")
        return data

    def _proxy(self, url: str) -> str | None:
        """The proxy the environment names for this URL's scheme and host, if any."""
        parts = urlsplit(url)
        key = (parts.scheme, parts.hostname or "")
        if key not in self._proxies:
            proxies = getproxies()
            proxy = proxies.get(parts.scheme) or proxies.get("all")
            self._proxies[key] = None if proxy_bypass(key[1]) else proxy
        return self._proxies[key]


def _given(value: ODVInput[float], default: float | None) -> float | None:
    return default if isinstance(value, DefaultValue) else value


def _body(request_data: RequestData | None) -> aiohttp.FormData | dict[str, str] | None:
    """Form fields, as multipart when there are files to upload."""
    if request_data is None:
        return None
    fields = request_data.json_parameters
    files = request_data.multipart_data
    if not files:
        return fields
    form = aiohttp.FormData()
    for name, value in fields.items():
        form.add_field(name, value)
    for name, (filename, content, mimetype) in files.items():
        form.add_field(name, content, filename=filename, content_type=mimetype)
    return form
