"""The Streamlit app renders on the bundled graph and on a minimal graph (AppTest, no mocks)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from conftest import MINI, ROOT

APP = str(ROOT / "app" / "streamlit_app.py")


@pytest.fixture
def app_on(monkeypatch):
    def start(data: str = "") -> AppTest:
        monkeypatch.setenv("HARMGRAPH_DATA", data)
        at = AppTest.from_file(APP, default_timeout=60)
        at.run()
        return at

    return start


def test_overview_renders_bundled_graph(app_on):
    at = app_on()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert int(metrics["Harms"].replace(",", "")) >= 20
    assert not at.warning


def test_overview_renders_minimal_graph(app_on):
    at = app_on(str(MINI))
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Harms"] == "3"
