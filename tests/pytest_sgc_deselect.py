"""pytest plugin: deselect helpdesk_mgmt tests listed, by exact name, in
tests/helpdesk_mgmt_deselected.txt (a line: ``<test name>  # <SGC rule it breaks>``).

``-k`` matches substrings, which would also drop tests that merely share a prefix.
"""

from pathlib import Path

LIST = Path(__file__).with_name("helpdesk_mgmt_deselected.txt")


def _names():
    names = set()
    for line in LIST.read_text(encoding="utf-8").splitlines():
        name = line.split("#", 1)[0].strip()
        if name:
            names.add(name)
    return names


def pytest_collection_modifyitems(config, items):
    names = _names()
    keep, drop = [], []
    for item in items:
        in_base = "helpdesk_mgmt" in Path(str(item.fspath)).parts
        (drop if in_base and item.name in names else keep).append(item)
    base_collected = any(
        "helpdesk_mgmt" in Path(str(item.fspath)).parts for item in items
    )
    unknown = names - {item.name for item in drop}
    if base_collected and unknown:
        raise ValueError(f"{LIST.name} lists unknown tests: {sorted(unknown)}")
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep
