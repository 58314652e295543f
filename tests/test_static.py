"""Static checks of the repository: 18.0 syntax, XML, access rules, manifest, paths,
ruff and pylint-odoo. The checks are also run on a broken copy to prove they bite."""

import ast
import shutil
import subprocess
import sys

import pytest
import static_checks as sc

ADDONS = pytest.mark.parametrize("addon", sc.ADDONS, ids=lambda path: path.name)


def test_addons_found():
    assert sc.ADDON in sc.ADDONS
    glue = [addon.name for addon in sc.ADDONS if addon != sc.ADDON]
    assert "sgc_helpdesk_ticket_stage_validation" in glue
    assert "sgc_helpdesk_ticket_close_inactive" in glue


@ADDONS
def test_no_pre18_syntax(addon):
    assert sc.check_pre18_syntax(addon) == []


@ADDONS
def test_xml_parses(addon):
    assert sc.check_xml_parses(addon) == []


def test_docker_xml_parses():
    assert sc.check_xml_parses(sc.REPO / "docker") == []


@ADDONS
def test_every_model_has_access_rule(addon):
    assert sc.check_model_access(addon) == []


@ADDONS
def test_every_sudo_says_why(addon):
    assert sc.check_sudo_comments(addon) == []


@ADDONS
def test_manifest_keys(addon):
    assert sc.check_manifest(addon) == []


@ADDONS
def test_glue_is_installed_by_its_sibling(addon):
    """A glue module installs itself beside its sibling: the addon never
    depends on a sibling, and a glue module on nothing but the addon and it."""
    manifest = ast.literal_eval((addon / "__manifest__.py").read_text("utf-8"))
    if addon == sc.ADDON:
        assert not manifest.get("auto_install")
        return
    assert manifest.get("auto_install") is True
    assert manifest["depends"][0] == sc.ADDON.name
    assert len(manifest["depends"]) == 2
    addon_manifest = ast.literal_eval((sc.ADDON / "__manifest__.py").read_text("utf-8"))
    assert manifest["depends"][1] not in addon_manifest["depends"]


def test_no_machine_path_committed():
    assert sc.check_machine_paths(sc.tracked_files(sc.REPO)) == []


def test_ruff():
    for args in (["check"], ["format", "--check"]):
        proc = subprocess.run(
            [sys.executable, "-m", "ruff", *args, "."],
            cwd=sc.REPO,
            check=False,
            capture_output=True,
            text=True,
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr


def test_pylint_odoo_mandatory():
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pylint",
            "--rcfile=.pylintrc-mandatory",
            *(addon.name for addon in sc.ADDONS),
        ],
        cwd=sc.REPO,
        check=False,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


# The checks catch deliberate mistakes.


@pytest.fixture
def broken_addon(tmp_path):
    copy = tmp_path / "sgc_helpdesk_ticket"
    shutil.copytree(sc.ADDON, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def test_check_catches_tree_view(broken_addon):
    view = broken_addon / "views" / "broken_views.xml"
    view.write_text(
        '<odoo><record id="x" model="ir.ui.view"><field name="arch" type="xml">'
        '<tree><field name="name"/></tree></field></record></odoo>'
    )
    problems = sc.check_pre18_syntax(broken_addon)
    assert any("broken_views.xml" in p and "<tree" in p for p in problems)


def test_check_catches_old_attributes(broken_addon):
    view = broken_addon / "views" / "broken_views.xml"
    view.write_text(
        '<odoo><field name="x" attrs="{\'invisible\': 1}"/>'
        '<field name="numbercall">-1</field></odoo>'
    )
    problems = sc.check_pre18_syntax(broken_addon)
    assert len([p for p in problems if "broken_views.xml" in p]) == 2


def test_check_catches_model_without_access(broken_addon):
    (broken_addon / "models" / "broken.py").write_text(
        "from odoo import models\n\n\nclass Broken(models.Model):\n"
        '    _name = "sgc.broken"\n    _description = "Broken"\n'
    )
    problems = sc.check_model_access(broken_addon)
    assert problems and "sgc.broken" in problems[0]


def test_check_catches_bad_xml(broken_addon):
    (broken_addon / "views" / "broken_views.xml").write_text("<odoo><record></odoo>")
    assert sc.check_xml_parses(broken_addon)


def test_check_catches_manifest_and_paths(broken_addon, tmp_path):
    manifest = broken_addon / "__manifest__.py"
    manifest.write_text('{"name": "x", "version": "17.0.1.0.0", "description": "x"}')
    problems = sc.check_manifest(broken_addon)
    assert any("license" in p for p in problems)
    assert any("18.0.x.y.z" in p for p in problems)
    leaky = tmp_path / "leaky.cfg"
    leaky.write_text("addons_path = /" + "opt/odoo18/addons\n")
    assert sc.check_machine_paths([leaky])


def test_check_catches_sudo_without_comment(broken_addon):
    (broken_addon / "controllers" / "broken.py").write_text(
        "from odoo.http import request\n\n\n"
        "def bare():\n"
        '    return request.env["res.partner"].sudo().search([])\n\n\n'
        "def said():\n"
        "    # sudo: the partner's own name, shown to the visitor\n"
        '    return request.env["res.partner"].sudo().search([])\n\n\n'
        "def terse():\n"
        '    return request.env["res.partner"].sudo()  # ok\n\n\n'
        "def mentioned():\n"
        '    return "sudo()"  # a string, not a call\n'
    )
    renders = broken_addon / "models" / "broken_render.py"
    renders.write_text(
        "def send(template, record):\n"
        '    body = template._render_field("body_html", record.ids)\n'
        "    return record.sudo().message_post(body=body)\n"
    )
    quiet = broken_addon / "models" / "broken_quiet.py"
    quiet.write_text("def count(record):\n    return record.sudo().search_count([])\n")
    problems = [p for p in sc.check_sudo_comments(broken_addon) if "broken" in p]
    assert sorted(p.split(": ")[0] for p in problems) == sorted(
        [
            f"{broken_addon}/controllers/broken.py:5",
            f"{broken_addon}/controllers/broken.py:14",
            f"{broken_addon}/models/broken_render.py:3",
        ]
    )
