"""scripts/screenshots.py: its entry point and arguments (taking the screenshots
themselves needs a demo database and Chromium, and is done by hand, see README)."""

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "scripts" / "screenshots.py"


@pytest.fixture(scope="module")
def screenshots():
    spec = importlib.util.spec_from_file_location("sgc_screenshots", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_help_names_every_screen():
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    for png in (
        "website_form.png",
        "monitor_overview.png",
        "ticket_form.png",
        "kpi_report.png",
        "customer_report.png",
        "template_text.png",
    ):
        assert png in result.stdout


def test_url_mode_needs_no_configuration(screenshots, tmp_path):
    args = screenshots.parse_args(
        [
            "--url",
            "http://127.0.0.1:8069/",
            "--db",
            "demo",
            "--config",
            str(tmp_path / "absent.conf"),
            "--only",
            "kpi",
            "form",
        ]
    )
    assert args.url == "http://127.0.0.1:8069"
    assert args.db == "demo"
    assert args.only == ["kpi", "form"]
    assert Path(args.out) == REPO / "docs"


def test_without_url_a_configuration_is_required(tmp_path):
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--config", str(tmp_path / "absent.conf")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "./scripts/start.sh" in result.stderr


def test_unknown_screen_is_refused(screenshots):
    with pytest.raises(SystemExit) as exit_info:
        screenshots.parse_args(["--url", "http://127.0.0.1:8069", "--only", "zalo"])
    assert exit_info.value.code == 2
