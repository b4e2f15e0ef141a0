"""A Dask worker undoes the nanny's eager heap trimming (runners/dask.py, ``_undo_eager_trim``).

Checked by what it is for, page faults: a process started with the nanny's ``MALLOC_TRIM_THRESHOLD_=65536``
that allocates, touches and frees one megabyte a hundred times faults every page in again each time; after
``_undo_eager_trim`` it reuses the same heap pages.  No Dask needed: a plain subprocess with the variable.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from eventwire.runners import dask as dask_runner

pytestmark = pytest.mark.skipif(dask_runner._libc is None or not sys.platform.startswith("linux"),
                                reason="glibc's malloc only")

_PROBE = """
import ctypes, json, resource, sys
from eventwire.runners.dask import _libc, _undo_eager_trim
if sys.argv[1] == "undo":
    _undo_eager_trim()
_libc.malloc.restype = ctypes.c_void_p
_libc.free.argtypes = [ctypes.c_void_p]
size = 1 << 20
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(100):
    p = _libc.malloc(size)
    ctypes.memset(p, 1, size)
    _libc.free(p)
print(json.dumps(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before))
"""


def _faults(mode: str) -> int:
    env = {**os.environ, "MALLOC_TRIM_THRESHOLD_": "65536"}
    out = subprocess.run([sys.executable, "-c", _PROBE, mode], env=env, capture_output=True, text=True,
                         check=True, timeout=60)
    return int(json.loads(out.stdout))


def test_a_worker_reuses_freed_heap_pages_despite_the_nannys_trim_threshold() -> None:
    eager, undone = _faults("keep"), _faults("undo")
    # 100 x 256 pages of 4 KiB: every one faulted in again with the nanny's threshold
    assert eager >= 100 * 200
    assert undone * 10 < eager
