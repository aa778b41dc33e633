"""Reports to print or share: the one-page beat profile and the performance report of a sector or an
LPA, as plain data read from the database (the interface lays them out as PDF), and the checked,
all-or-nothing writing of a report file."""

from beatdesk.services.reports.area_report import AreaReport, build_area_report
from beatdesk.services.reports.export import check_target, export_file
from beatdesk.services.reports.profile import BeatProfile, build_profile

__all__ = ["AreaReport", "BeatProfile", "build_area_report", "build_profile", "check_target", "export_file"]
