"""Demo data is marked across the top of the window; real data is not."""

from __future__ import annotations

from beatdesk.database import session_scope
from beatdesk.models.meta import DEMO_SEED
from beatdesk.services import force

from conftest import make_window


def test_no_banner_on_real_data(window):
    assert window.banner.isHidden()
    assert window.banner.text() == ""


def test_banner_when_the_demo_seed_is_set(qtbot, engine, team, qsettings):
    with session_scope(engine) as session:
        force.set_meta(session, DEMO_SEED, "2021")
    win = make_window(qtbot, engine, qsettings)
    assert win.banner.isVisibleTo(win)
    assert "Demo" in win.banner.text() and "2021" in win.banner.text()
    assert win.banner.geometry().height() >= 20
    # it sits above the map, not over it
    assert win.banner.geometry().bottom() <= win.map_view.geometry().top()


def test_banner_goes_when_reloaded_without_demo(qtbot, engine, team, qsettings):
    with session_scope(engine) as session:
        force.set_meta(session, DEMO_SEED, "7")
    win = make_window(qtbot, engine, qsettings)
    assert win.banner.isVisibleTo(win)
    with session_scope(engine) as session:
        from beatdesk.models import Meta

        session.delete(session.get(Meta, DEMO_SEED))
    win.reload()
    assert win.banner.isHidden()
