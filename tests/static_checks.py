"""Static checks of the repository, importable without Odoo.

Each check takes a folder and returns a list of human-readable problems, so that the
tests can run them on the real tree and on a deliberately broken copy.
"""

import ast
import csv
import io
import re
import shutil
import subprocess
import tokenize
from pathlib import Path

from lxml import etree

REPO = Path(__file__).resolve().parent.parent
ADDON = REPO / "sgc_helpdesk_ticket"
# The addon and the glue modules beside it (sgc_helpdesk_ticket_<sibling>): every
# folder of the repository root with a manifest.
ADDONS = sorted(path.parent for path in REPO.glob("*/__manifest__.py"))

# Odoo < 18 syntax and the files it may hide in.
PRE18_PATTERNS = {
    r"<tree[\s>]": "use <list> (18.0)",
    r"</tree>": "use </list> (18.0)",
    r"\battrs\s*=": "attrs= is gone in 17+: use invisible/readonly/required",
    r"\bstates\s*=": "states= is gone in 17+: use invisible/readonly",
    r"\bnumbercall\b": "ir.cron numbercall is gone in 18.0",
    r"\bdoall\b": "ir.cron doall is gone in 18.0",
    r"\bgroup_operator\s*=": "use aggregator= (18.0)",
    r"view_mode[^\n]*\btree\b": "view_mode uses list in 18.0",
    r"\bname_get\s*\(": "name_get() is gone: use _compute_display_name",
    r"\bcheck_access_rights\s*\(": "use check_access / has_access (18.0)",
    r'class="oe_chatter"': "use <chatter/> (18.0)",
    r"kanban-box": 'use <t t-name="card"> (18.0)',
}
PRE18_SUFFIXES = {".xml", ".py", ".js"}

REQUIRED_MANIFEST_KEYS = (
    "name",
    "summary",
    "version",
    "license",
    "author",
    "website",
    "category",
    "depends",
    "data",
    "installable",
)


def _files(root, suffixes):
    for path in sorted(Path(root).rglob("*")):
        if "__pycache__" in path.parts:
            continue
        if path.is_file() and path.suffix in suffixes:
            yield path


def check_pre18_syntax(root):
    problems = []
    own = Path(__file__).resolve()
    for path in _files(root, PRE18_SUFFIXES):
        if path.resolve() == own:
            continue
        text = path.read_text(encoding="utf-8")
        for pattern, advice in PRE18_PATTERNS.items():
            for match in re.finditer(pattern, text):
                line = text.count("\n", 0, match.start()) + 1
                problems.append(f"{path}:{line}: {match.group(0)!r}: {advice}")
    return problems


def check_xml_parses(root):
    problems = []
    for path in _files(root, {".xml"}):
        try:
            etree.parse(str(path))
        except etree.XMLSyntaxError as exc:
            problems.append(f"{path}: {exc}")
    return problems


def _new_models(addon):
    """Models an addon defines (``_name`` set and not merely inherited), by kind."""
    models = {}
    for path in _files(addon, {".py"}):
        if "tests" in path.relative_to(addon).parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.ClassDef):
                continue
            attrs = {}
            for stmt in node.body:
                if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
                    target = stmt.targets[0]
                    if isinstance(target, ast.Name) and isinstance(
                        stmt.value, ast.Constant
                    ):
                        attrs[target.id] = stmt.value.value
            name = attrs.get("_name")
            if not name or name == attrs.get("_inherit"):
                continue
            bases = {ast.unparse(b) for b in node.bases}
            if "models.AbstractModel" in bases or attrs.get("_auto") is False:
                continue
            models[name] = path
    return models


def check_model_access(addon):
    """Every model the addon creates has at least one ir.model.access line."""
    addon = Path(addon)
    csv_path = addon / "security" / "ir.model.access.csv"
    covered = set()
    if csv_path.exists():
        with csv_path.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                model_ref = row.get("model_id:id", "").split(".")[-1]
                covered.add(model_ref)
    problems = []
    for name, path in _new_models(addon).items():
        ref = "model_" + name.replace(".", "_")
        if ref not in covered:
            problems.append(f"{path}: model {name} has no access rule in {csv_path}")
    return problems


def check_manifest(addon):
    manifest_path = Path(addon) / "__manifest__.py"
    manifest = ast.literal_eval(manifest_path.read_text(encoding="utf-8"))
    problems = [
        f"{manifest_path}: missing key {key!r}"
        for key in REQUIRED_MANIFEST_KEYS
        if key not in manifest
    ]
    if "description" in manifest:
        problems.append(f"{manifest_path}: use readme/DESCRIPTION.md, not description")
    if not re.fullmatch(r"18\.0\.\d+\.\d+\.\d+", str(manifest.get("version", ""))):
        problems.append(f"{manifest_path}: version must be 18.0.x.y.z")
    for key in ("data", "demo"):
        for rel in manifest.get(key, []):
            if not (Path(addon) / rel).exists():
                problems.append(f"{manifest_path}: {key} file {rel} does not exist")
    return problems


# Paths of a developer's or CI machine, which no committed file may name. Built from
# parts so that this file does not match itself.
_MACHINE_PATH = re.compile(
    "|".join(
        [
            "/" + "root/",
            "/" + "home/[a-z_][a-z0-9_-]*/",
            "/" + "work/",
            "/" + "tmp/[A-Za-z0-9_.-]+/",
            "/" + "opt/odoo",
            r"\.py" + "env/versions",
            "site-" + "packages/",
            "[A-Z]:" + r"\\\\Users",
        ]
    )
)


def tracked_files(root):
    """The repository's files (tracked or new, not ignored). Without git, as in the
    test image, which has no .git: every file but caches and the virtualenv."""
    if not (Path(root) / ".git").exists() or shutil.which("git") is None:
        skipped = {".venv", "__pycache__", ".ruff_cache", ".pytest_cache"}
        return [
            path
            for path in sorted(Path(root).rglob("*"))
            if path.is_file() and not skipped.intersection(path.relative_to(root).parts)
        ]
    out = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\n")
    return [Path(root) / f for f in out if f and (Path(root) / f).is_file()]


def check_machine_paths(files):
    problems = []
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        for match in _MACHINE_PATH.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            problems.append(f"{path}:{line}: machine path {match.group(0)!r}")
    return problems


# Code that renders templates: a sudo() there decides what a template may read.
_RENDERS = re.compile(
    r"\b(?:_render_field|message_post_with_source|_render_template|render)\s*\("
)
_WORD = re.compile(r"[^\W\d_]{2,}")
MIN_COMMENT_WORDS = 3


def _sudo_scope(addon):
    """The .py files whose sudo() calls must say why they are safe: the
    controllers, and the models or controllers that render templates."""
    addon = Path(addon)
    files = set(_files(addon / "controllers", {".py"}))
    for folder in ("models", "controllers"):
        for path in _files(addon / folder, {".py"}):
            if _RENDERS.search(path.read_text(encoding="utf-8")):
                files.add(path)
    return sorted(files)


def _says_why(comment):
    return comment is not None and len(_WORD.findall(comment)) >= MIN_COMMENT_WORDS


def check_sudo_comments(addon):
    """Every sudo() in scope has a comment of a few words on its line or on the
    line just above, saying why it is safe."""
    problems = []
    for path in _sudo_scope(addon):
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        comments = {}  # line number -> comment text
        sudo_lines = []
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
        for index, token in enumerate(tokens):
            if token.type == tokenize.COMMENT:
                comments[token.start[0]] = token.string
            elif (
                token.type == tokenize.NAME
                and token.string == "sudo"
                and index + 2 < len(tokens)
                and tokens[index + 1].string == "("
                and tokens[index + 2].string in (")", "True")
            ):
                sudo_lines.append(token.start[0])
        for line in sudo_lines:
            above = line - 1
            comment_above = comments.get(above)
            if comment_above and not lines[above - 1].strip().startswith("#"):
                comment_above = None  # the end of the previous statement's line
            if not (_says_why(comments.get(line)) or _says_why(comment_above)):
                problems.append(
                    f"{path}:{line}: sudo() without a comment saying why it is safe"
                )
    return problems
