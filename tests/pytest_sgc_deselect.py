"""pytest plugin: deselect, by exact name, the tests of other modules that contradict
one of SGC's rules on purpose, each listed with that rule:

- helpdesk_mgmt's in tests/helpdesk_mgmt_deselected.txt
  (a line: ``<test name>  # <SGC rule it breaks>``);
- the OCA helpdesk siblings' in tests/siblings_deselected.txt
  (a line: ``<module> <test name>  # <SGC rule it breaks>``).

``-k`` matches substrings, which would also drop tests that merely share a prefix. A
listed name that a collected module does not have is an error, so the lists stay true.
"""

from pathlib import Path

HERE = Path(__file__).parent
HELPDESK_LIST = HERE / "helpdesk_mgmt_deselected.txt"
SIBLINGS_LIST = HERE / "siblings_deselected.txt"


def _lines(path):
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            yield line


def _names():
    """{module: {test name: list file}}"""
    names = {}
    for name in _lines(HELPDESK_LIST):
        names.setdefault("helpdesk_mgmt", {})[name] = HELPDESK_LIST.name
    for line in _lines(SIBLINGS_LIST):
        module, name = line.split()
        names.setdefault(module, {})[name] = SIBLINGS_LIST.name
    return names


def _module(item):
    """The Odoo module whose tests hold ``item``: the folder with the manifest."""
    for folder in Path(str(item.fspath)).parents:
        if (folder / "__manifest__.py").is_file():
            return folder.name
    return None


def pytest_collection_modifyitems(config, items):
    names = _names()
    keep, drop, collected = [], [], set()
    for item in items:
        module = _module(item)
        collected.add(module)
        (drop if item.name in names.get(module, {}) else keep).append(item)
    dropped = {(_module(item), item.name) for item in drop}
    unknown = sorted(
        f"{lists[name]}: {module} {name}"
        for module, lists in names.items()
        if module in collected
        for name in lists
        if (module, name) not in dropped
    )
    if unknown:
        raise ValueError(f"deselection lists name unknown tests: {unknown}")
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep
