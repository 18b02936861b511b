"""Market-data providers: fetch real observations on request (``narrex market fetch PROVIDER``).

Each provider module has a pure ``parse_*`` function (tested offline on fixtures in the source's
documented format) and a ``fetch`` function that downloads with stdlib ``urllib`` and a timeout.
Any failure (no network, timeout, HTTP error, malformed response) raises ProviderError with one
clear line; callers then import nothing.
"""
from __future__ import annotations

import socket
import urllib.error
import urllib.request
from typing import Callable

from extract.errors import NarrexError

__all__ = ["ProviderError", "PROVIDERS", "http_get"]

PROVIDERS = ("farside", "coinbase", "fred", "mof")
USER_AGENT = "narrex/0.1 (+https://pypi.org/project/narrex; market-data fetch on user request)"


class ProviderError(NarrexError):
    """A provider could not deliver data; nothing was imported."""


def http_get(url: str, provider: str, timeout: float = 20.0, opener: Callable | None = None) -> bytes:
    """The body at ``url``; raises ProviderError naming the provider and the problem."""
    req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
    try:
        with (opener or urllib.request.urlopen)(req, timeout=timeout) as resp:
            return resp.read()
    except urllib.error.HTTPError as e:
        raise ProviderError(f"{provider}: HTTP {e.code} {e.reason} from {url}; nothing imported") from None
    except urllib.error.URLError as e:
        reason = e.reason
        if isinstance(reason, (socket.timeout, TimeoutError)):
            reason = f"timed out after {timeout:g}s"
        raise ProviderError(f"{provider}: cannot reach {url} ({reason}); nothing imported") from None
    except (socket.timeout, TimeoutError):
        raise ProviderError(f"{provider}: {url} timed out after {timeout:g}s; nothing imported") from None
    except OSError as e:
        raise ProviderError(f"{provider}: network error for {url} ({e}); nothing imported") from None
