"""The client address, as Better Auth derives it: only from a trusted header holding exactly one IP."""

from __future__ import annotations

import ipaddress

from starlette.datastructures import Headers


def client_ip(headers: Headers, header_name: str | None) -> str | None:
    if not header_name:
        return None
    value = headers.get(header_name)
    if not value:
        return None
    parts = [p.strip() for p in value.split(",")]
    if len(parts) != 1:
        return None
    try:
        address = ipaddress.ip_address(parts[0])
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return str(address.ipv4_mapped)
    return str(address)


def rate_limit_subject(ip: str | None) -> str:
    """IPv6 clients are grouped by /64; clients without a usable address share one bucket."""
    if ip is None:
        return "no-trusted-ip"
    address = ipaddress.ip_address(ip)
    if isinstance(address, ipaddress.IPv6Address):
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return ip
