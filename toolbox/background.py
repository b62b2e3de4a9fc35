"""Work done in a second process while the site generator builds pages.

MkDocs builds in one thread, so a second CPU sits idle during a build. What the generated pages need
from us (their HTML, QR codes, the open-data files) depends only on the content, so a forked child
computes it ahead of the build, in the order the build will ask, and the parent picks each result up
when it gets there. The results are the same as computing them in the parent: where there is no
fork, where threads are running (as under `mkdocs serve`, where forking is unsafe), or if the child
fails, the parent computes what it asks for itself.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from typing import Callable, Hashable, Iterable

BATCH = 16   # results per message: fewer, larger messages; still ahead of the build from the start


def can_fork() -> bool:
    """Whether a second process is possible and worth it here (VAERKTOEJSKASSEN_NO_FORK=1 says no)."""
    return ((os.cpu_count() or 1) >= 2 and threading.active_count() == 1
            and "fork" in multiprocessing.get_all_start_methods()
            and os.environ.get("VAERKTOEJSKASSEN_NO_FORK", "") in ("", "0"))


def _produce(writer, compute: Callable, keys: list) -> None:
    """The child: compute each key in order and send the results in batches; None ends the stream.
    A key whose computation fails is left out (the parent then computes it, and sees the error)."""
    batch = {}
    for key in keys:
        try:
            batch[key] = compute(key)
        except Exception:  # noqa: BLE001 - the parent recomputes it and reports the error itself
            continue
        if len(batch) >= BATCH:
            writer.send(batch)
            batch = {}
    if batch:
        writer.send(batch)
    writer.send(None)
    writer.close()


class Background:
    """compute(key) for each of `keys`, done ahead in a forked child; `get(key)` returns each result
    once (local(key) computed here if the child has not, or cannot)."""

    def __init__(self, compute: Callable[[Hashable], object], keys: Iterable[Hashable], fork: bool | None = None,
                 local: Callable[[Hashable], object] | None = None):
        self.compute = compute
        self.local = local or compute   # what the parent computes for itself (it may do less)
        self.keys = list(keys)
        self._expected = set(self.keys)
        self.results: dict = {}
        self.forked = False
        self._reader = None
        self._child = None
        if (can_fork() if fork is None else fork) and self.keys:
            self._start()

    def _start(self) -> None:
        started = _fork(_produce, self.compute, self.keys)
        if started is not None:
            self._reader, self._child = started
            self.forked = True

    def get(self, key: Hashable):
        """The result for `key`, from the child if it has (or will have) it, else computed here."""
        if key in self.results:
            return self.results.pop(key)
        if key not in self._expected:
            return self.local(key)
        self._expected.discard(key)
        while self._reader is not None:
            try:
                batch = self._reader.recv()
            except (EOFError, OSError):
                batch = None
            if batch is None:
                self.close()
                break
            self.results.update(batch)
            if key in self.results:
                return self.results.pop(key)
        return self.local(key)

    def close(self) -> None:
        """Stop listening, end the child if it still runs, and reap it."""
        reader, child = self._reader, self._child
        self._reader = self._child = None
        if reader is not None:
            reader.close()
        if child is not None:
            if child.is_alive():
                child.terminate()
            child.join()


def _fork(target: Callable, *args):
    """A forked child running target(writer, *args), and the end of the pipe it writes to; None if
    the child could not be started."""
    context = multiprocessing.get_context("fork")
    reader, writer = context.Pipe(duplex=False)
    child = context.Process(target=target, args=(writer, *args), daemon=True)
    try:
        child.start()
    except OSError:
        reader.close()
        writer.close()
        return None
    writer.close()
    return reader, child


def _send_result(writer, compute: Callable, items: list) -> None:
    writer.send(compute(items))
    writer.close()


def in_two_halves(compute: Callable[[list], list], items: list, minimum: int = 400) -> list:
    """compute(items), with the second half of `items` computed by a forked child at the same time
    (when there are at least `minimum` items and a second process is possible). `compute` maps a
    list to a list of results, one per item and in order; the halves' results are joined in order.
    If the child fails, the parent computes its half too."""
    if len(items) < minimum or not can_fork():
        return compute(items)
    middle = len(items) // 2
    started = _fork(_send_result, compute, items[middle:])
    if started is None:
        return compute(items)
    reader, child = started
    first = compute(items[:middle])
    try:
        second = reader.recv()
    except (EOFError, OSError):
        second = None
    finally:
        reader.close()
        if child.is_alive() and second is None:
            child.terminate()
        child.join()
    return first + (second if second is not None else compute(items[middle:]))
