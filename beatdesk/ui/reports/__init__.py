"""The PDF reports: the one-page beat profile and the performance report of a sector or an LPA, laid out
from the Qt-free read models of ``beatdesk.services.reports``, and the menu actions that make them."""
