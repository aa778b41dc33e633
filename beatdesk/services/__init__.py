"""Use cases. Qt-free; each write is one transaction that checks permission, validates, writes,
keeps derived data in step and appends an audit entry. Every function takes the acting user."""
