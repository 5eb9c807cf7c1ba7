"""Deployment: provisioning on Northflank through its REST API, and config files for other platforms.

`tandem.infra.cli.app` is the `tandem infra` command group.
"""
