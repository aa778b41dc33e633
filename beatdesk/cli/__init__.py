"""Headless commands for administration; `beatdesk` with no command starts the desktop application."""
