"""Find, download, unpack and verify the Odoo 18.0 source that the scripts run.

Standard library only: it runs under whatever python3 the machine has, before any
virtualenv exists. Used by scripts/lib.sh:

    odoo_source.py digest FOLDER
        print the content digest of the Odoo source in FOLDER
    odoo_source.py resolve --rev REV --digest DIGEST --cache CACHE --url URL [SOURCE]
        print the folder of a verified Odoo source, getting it if needed
    odoo_source.py missing < REQUIREMENTS
        print the requirements (one a line on stdin) that the running interpreter
        does not satisfy

The digest covers the files Odoo runs from (``odoo/``, ``addons/``, ``odoo-bin``,
``requirements.txt``, ``setup*``), never the archive's bytes: a GitHub archive, a
tarball made from a git checkout and an unpacked copy of the same revision all give
the same digest, whatever their compression or top folder.
"""

import argparse
import hashlib
import os
import re
import shutil
import sys
import tarfile
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path

DIGEST_PARTS = (
    "odoo",
    "addons",
    "odoo-bin",
    "requirements.txt",
    "setup.py",
    "setup.cfg",
    "setup",
)
SKIPPED_DIRS = {"__pycache__", ".git"}
SKIPPED_SUFFIXES = (".pyc", ".pyo")
VERIFIED_MARK = ".sgc-verified"


class SourceError(Exception):
    pass


def log(message):
    print(f"[sgc] {message}", file=sys.stderr, flush=True)


def is_odoo_source(folder):
    folder = Path(folder)
    return (folder / "odoo-bin").is_file() and (
        folder / "odoo" / "release.py"
    ).is_file()


def _digest_files(root):
    root = Path(root)
    for part in DIGEST_PARTS:
        top = root / part
        if top.is_file() or top.is_symlink():
            yield part, top
            continue
        for dirpath, dirnames, filenames in os.walk(top):
            dirnames[:] = sorted(d for d in dirnames if d not in SKIPPED_DIRS)
            for name in filenames:
                if name.endswith(SKIPPED_SUFFIXES):
                    continue
                path = Path(dirpath) / name
                yield path.relative_to(root).as_posix(), path


def digest(root):
    """sha256 over the sorted lines "<sha256 of file>  <path>" of the digested files."""
    lines = []
    for rel, path in _digest_files(root):
        if path.is_symlink():
            value = "link:" + os.readlink(path)
        else:
            sha = hashlib.sha256()
            with open(path, "rb") as handle:
                for block in iter(lambda h=handle: h.read(1 << 20), b""):
                    sha.update(block)
            value = sha.hexdigest()
        lines.append(f"{value}  {rel}\n")
    lines.sort(key=lambda line: line.split("  ", 1)[1])
    return hashlib.sha256("".join(lines).encode()).hexdigest()


def sha256_file(path):
    sha = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


def download(url, dest):
    log(f"downloading {url}")
    part = dest.with_name(dest.name + ".part")
    try:
        with urllib.request.urlopen(url, timeout=120) as resp, open(part, "wb") as out:
            shutil.copyfileobj(resp, out, 1 << 20)
    except OSError as exc:
        part.unlink(missing_ok=True)
        raise SourceError(f"cannot download {url}: {exc}") from exc
    part.replace(dest)
    return dest


def _safe_extract(archive, target):
    with tarfile.open(archive, "r:*") as tar:
        if hasattr(tarfile, "data_filter"):
            tar.extractall(target, filter="data")
            return
        target = Path(target).resolve()
        for member in tar.getmembers():
            dest = (target / member.name).resolve()
            if target not in dest.parents and dest != target:
                raise SourceError(
                    f"{archive}: member {member.name!r} leaves the folder"
                )
            if member.issym() or member.islnk():
                link = (dest.parent / member.linkname).resolve()
                if target not in link.parents:
                    raise SourceError(
                        f"{archive}: link {member.name!r} leaves the folder"
                    )
        tar.extractall(target)  # noqa: S202 - members checked above


def _find_root(folder):
    """The Odoo source in an unpacked archive: the folder itself or its one child."""
    folder = Path(folder)
    if is_odoo_source(folder):
        return folder
    children = [child for child in folder.iterdir() if child.is_dir()]
    for child in children:
        if is_odoo_source(child):
            return child
    return None


def unpack_verified(archive, rev, expected, cache):
    """Unpack ``archive`` into CACHE/odoo-REV if its content is the pinned revision."""
    final = cache / f"odoo-{rev}"
    tmp = Path(tempfile.mkdtemp(prefix=".unpack-", dir=cache))
    try:
        log(f"unpacking {archive}")
        try:
            _safe_extract(archive, tmp)
        except (tarfile.TarError, OSError) as exc:
            raise SourceError(f"{archive} is not a readable tarball: {exc}") from exc
        root = _find_root(tmp)
        if root is None:
            raise SourceError(
                f"{archive} holds no Odoo source (no odoo-bin, odoo/release.py)"
            )
        log("verifying the unpacked source against the pinned digest")
        found = digest(root)
        if found != expected:
            raise SourceError(
                f"{archive} is not Odoo revision {rev}: its content digest is\n"
                f"    {found}, the pinned one is\n    {expected}.\n"
                "    To run another Odoo, unpack it yourself and give its folder: "
                "ODOO_SOURCE=/path/to/odoo"
            )
        (root / VERIFIED_MARK).write_text(f"{rev} {expected}\n")
        if final.exists():
            shutil.rmtree(final)
        root.rename(final)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    log(f"Odoo {rev} is in {final}")
    return final


def resolve(source, rev, expected, cache, url, archive_sha256=None):
    cache = Path(cache)
    final = cache / f"odoo-{rev}"
    if source and not _is_url(source) and Path(source).is_dir():
        folder = Path(source).resolve()
        if not is_odoo_source(folder):
            raise SourceError(
                f"ODOO_SOURCE={source} is a folder without an Odoo source"
            )
        if not (folder / VERIFIED_MARK).is_file() and digest(folder) != expected:
            log(
                f"WARNING: {folder} is not the pinned Odoo revision {rev}; "
                "using it because ODOO_SOURCE names it"
            )
        return folder
    # The cache first: a tarball or URL can only ever give the pinned revision.
    if is_odoo_source(final) and (final / VERIFIED_MARK).is_file():
        return final
    cache.mkdir(parents=True, exist_ok=True)
    downloaded = False
    if source and not _is_url(source):
        archive = Path(source).resolve()
        if not archive.is_file():
            raise SourceError(f"ODOO_SOURCE={source}: no such folder or file")
    else:
        # An archive put there by hand (a machine without internet) is used as it is.
        archive = cache / f"odoo-{rev}.tar.gz"
        downloaded = not archive.is_file()
        if downloaded:
            archive = download(source or url, cache / f"odoo-{rev}.download.tar.gz")
    try:
        if archive_sha256:
            found = sha256_file(archive)
            if found != archive_sha256.lower():
                raise SourceError(
                    f"{archive}: sha256 {found}, expected "
                    f"ODOO_SOURCE_SHA256={archive_sha256}"
                )
        return unpack_verified(archive, rev, expected, cache)
    finally:
        # Unpacked (or refused): a download is not kept, it would only take room.
        if downloaded:
            archive.unlink(missing_ok=True)


def _is_url(source):
    return urllib.parse.urlsplit(str(source)).scheme in ("http", "https", "file")


def missing(lines):
    """The requirement lines that the running interpreter's packages do not meet."""
    from importlib import metadata

    try:
        from packaging.requirements import Requirement
    except ImportError:
        try:
            from pip._vendor.packaging.requirements import Requirement
        except ImportError:  # neither: names only
            Requirement = None
    out = []
    for line in lines:
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        if Requirement is None:
            name, spec = re.match(r"[A-Za-z0-9._-]+", line).group(0), None
        else:
            req = Requirement(line)
            if req.marker is not None and not req.marker.evaluate():
                continue
            name, spec = req.name, req.specifier
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            out.append(line)
            continue
        if spec is not None and not spec.contains(version, prereleases=True):
            out.append(line)
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    dig = sub.add_parser("digest")
    dig.add_argument("folder")
    res = sub.add_parser("resolve")
    res.add_argument("source", nargs="?", default="")
    res.add_argument("--rev", required=True)
    res.add_argument("--digest", required=True)
    res.add_argument("--cache", required=True)
    res.add_argument("--url", required=True)
    res.add_argument("--sha256", default="")
    sub.add_parser("missing")
    args = parser.parse_args(argv)
    try:
        if args.command == "missing":
            print("\n".join(missing(sys.stdin.read().splitlines())))
        elif args.command == "digest":
            if not is_odoo_source(args.folder):
                raise SourceError(f"{args.folder} holds no Odoo source")
            print(digest(args.folder))
        else:
            folder = resolve(
                args.source, args.rev, args.digest, args.cache, args.url, args.sha256
            )
            print(folder)
    except SourceError as exc:
        print(f"[sgc] ERROR: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
