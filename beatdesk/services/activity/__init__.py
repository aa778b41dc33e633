"""Beat activity: logging entries and duties with validation, history, and daily totals kept in step."""

from beatdesk.services.activity.duties import record_duty, set_time_outside
from beatdesk.services.activity.entries import delete_entry, edit_entry, entry_history, log_entry
from beatdesk.services.activity.inputs import EntryInput, HistoryItem, LoggedEntry
from beatdesk.services.activity.totals import rebuild_totals, recount_totals, stored_totals

__all__ = [
    "EntryInput", "HistoryItem", "LoggedEntry", "delete_entry", "edit_entry", "entry_history", "log_entry",
    "rebuild_totals", "record_duty", "recount_totals", "set_time_outside", "stored_totals",
]
