"""The example application: a multi-user task list."""
