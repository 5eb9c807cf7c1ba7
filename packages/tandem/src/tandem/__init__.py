"""Tandem: tRPC v11 and Better Auth-compatible web servers for Python, on PostgreSQL."""
