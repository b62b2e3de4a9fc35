"""Shared fixtures: the real site, built once per session."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import ROOT, free_port

# The tests make some 30,000 files (project copies, built sites) in their temporary folders. Where
# /dev/shm is a tmpfs with room, they go there: on an ext4 file system without a journal (this
# machine's), creating a file while many were deleted in the last minutes is slow, because ext4 looks
# for an inode it may reuse, and pytest deletes an older session's folders as a session starts. The
# fast loop took 55 s there against 62 s on the disk. An explicit --basetemp is kept as given.
MEMORY_TEMP = Path("/dev/shm")
MEMORY_TEMP_ROOM = 4 * 1024 ** 3      # bytes free; a session uses about 400 MB


_IN_MEMORY = pytest.StashKey[Path]()      # the session's folder in /dev/shm, if it has one
_PASSED = pytest.StashKey[bool]()


@pytest.hookimpl(tryfirst=True)     # before pytest's tmp_path plugin reads --basetemp
def pytest_configure(config):
    if config.option.basetemp or hasattr(config, "workerinput"):   # given, or an xdist worker's
        return
    try:
        fs = os.statvfs(MEMORY_TEMP)
        is_tmpfs = any(line.split()[1:3] == [str(MEMORY_TEMP), "tmpfs"]
                       for line in Path("/proc/mounts").read_text().splitlines())
    except OSError:
        return
    if is_tmpfs and fs.f_bavail * fs.f_frsize >= MEMORY_TEMP_ROOM and os.access(MEMORY_TEMP, os.W_OK):
        folder = MEMORY_TEMP / f"vaerktoejskassen-tests-{os.getuid()}"
        config.option.basetemp = str(folder)
        config.stash[_IN_MEMORY] = folder


def pytest_sessionfinish(session, exitstatus):
    session.config.stash[_PASSED] = exitstatus == 0


def pytest_unconfigure(config):
    """The folder in memory goes when every test passed (on failure it stays, to be looked at)."""
    folder = config.stash.get(_IN_MEMORY, None)
    if folder is not None and config.stash.get(_PASSED, False):
        import shutil
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def site_port() -> int:
    """A free port on 127.0.0.1 for serving the built site."""
    return free_port()


@pytest.fixture(scope="session")
def built_site(tmp_path_factory, site_port) -> Path:
    """The real site, built once with --strict into a temporary folder.

    Its site_url is where the browser tests serve it, because Material's instant navigation only
    takes over links on the origin of site_url.
    """
    out = tmp_path_factory.mktemp("site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": f"http://127.0.0.1:{site_port}/"}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-4000:]
    return out
