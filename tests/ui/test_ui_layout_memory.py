"""The window's size, docks and splitter are remembered between runs, in an isolated settings file."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt

from beatdesk.ui.main_window import SETTINGS_GEOMETRY, SETTINGS_SPLITTER, SETTINGS_STATE

from conftest import make_window


def test_layout_is_restored_in_a_second_window(qtbot, engine, team, qsettings):
    first = make_window(qtbot, engine, qsettings, size=(1180, 760))
    first.resizeDocks([first.force_dock], [380], Qt.Orientation.Horizontal)
    first.panel_dock.hide()
    first.force_splitter.setSizes([300, 150])
    qtbot.wait(20)
    splitter_sizes = first.force_splitter.sizes()
    dock_width = first.force_dock.width()
    first.close()
    for key in (SETTINGS_GEOMETRY, SETTINGS_STATE, SETTINGS_SPLITTER):
        assert qsettings.value(key) is not None

    reread = QSettings(qsettings.fileName(), QSettings.Format.IniFormat)
    second = make_window(qtbot, engine, reread, size=(1400, 900))
    second.restore_layout()
    qtbot.wait(20)
    assert (second.width(), second.height()) == (1180, 760)
    assert second.panel_dock.isHidden()
    assert abs(second.force_dock.width() - dock_width) <= 4
    assert second.force_splitter.sizes() == splitter_sizes


def test_tests_never_touch_the_real_user_settings(qsettings, tmp_path):
    assert str(tmp_path) in qsettings.fileName()
    default = QSettings()
    assert str(tmp_path) in default.fileName()
