"""The desktop interface (PySide6 widgets). Widgets display what the services return; no rules here."""
