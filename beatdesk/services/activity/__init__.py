"""Beat activity: entries and duties with validation, history (restore too), and daily totals kept in step."""

from beatdesk.services.activity.duties import record_duty, set_time_outside
from beatdesk.services.activity.duty_totals import rebuild_duty_totals, recount_duty_totals, stored_duty_totals
from beatdesk.services.activity.entries import delete_entry, edit_entry, entry_history, log_entry, restore_entry
from beatdesk.services.activity.inputs import EntryInput, HistoryItem, LoggedEntry
from beatdesk.services.activity.totals import rebuild_totals, recount_totals, stored_totals

__all__ = [
    "EntryInput", "HistoryItem", "LoggedEntry", "delete_entry", "edit_entry", "entry_history", "log_entry",
    "rebuild_duty_totals", "rebuild_totals", "record_duty", "recount_duty_totals", "recount_totals", "restore_entry",
    "set_time_outside", "stored_duty_totals", "stored_totals",
]
