"""Ctrl-C and kills: one line and an exit code, never a traceback, and no half-done step.

`run_interruptible` is the command line's outermost frame: SIGINT (Ctrl-C)
and SIGTERM (a kill, a service manager stopping us) become a KeyboardInterrupt,
so every `finally` runs as usual (a batch saves what it finished, pending books
are removed), and end as one line on stderr with exit code 130 (143 for SIGTERM).
`deferred()` holds such a signal while a short step that must not be cut in two
runs (a book's zip being written, a finished book moved and recorded); the
interrupt is raised the moment the step is done.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType

_SIGNALS = (signal.SIGINT, signal.SIGTERM)
_NAMES = {signal.SIGINT: "interrupted (Ctrl-C)", signal.SIGTERM: "stopped (SIGTERM)"}


class Interrupts:
    """The signal handler of one command-line run: remembers which signal stopped it."""

    def __init__(self) -> None:
        self.signum: int | None = None
        self._again: int | None = None

    def handle(self, signum: int, frame: FrameType | None) -> None:
        if _in_module_lock_callback(frame):
            # A weakref callback swallows what it raises (printed as "Exception ignored in:
            # ... cb" with a traceback); importlib runs one as each module lock is freed.
            # The same signal is sent again a moment later, outside it.
            self._again = signum
            signal.signal(signal.SIGALRM, self._resend)
            signal.setitimer(signal.ITIMER_REAL, 0.005)
            return
        if self.signum is None:
            self.signum = signum
        raise KeyboardInterrupt

    def _resend(self, signum: int, frame: FrameType | None) -> None:
        if self._again is not None:
            signal.raise_signal(self._again)  # through whichever handler holds it now (deferred() too)

    def install(self) -> None:
        for signum in _SIGNALS:
            # A signal the parent set to be ignored (nohup, a test runner) stays ignored.
            if signal.getsignal(signum) is not signal.SIG_IGN:
                signal.signal(signum, self.handle)


def run_interruptible(entry: Callable[[], object]) -> None:
    """Run `entry` (the typer app) and exit: an interrupt is one line and exit code 128 + signal."""
    interrupts = Interrupts()
    interrupts.install()
    code: object = 0
    try:
        entry()
    except KeyboardInterrupt:
        code = 130  # (before the command started, or one that does not turn it into an exit itself)
    except SystemExit as exit_:
        code = exit_.code
    finally:
        # A signal may still come as the command ends (a Ctrl-C as the last book is saved): the
        # handler then raises inside this block, before the signals are blocked, and would end
        # the process with a traceback. It is remembered (interrupts.signum) and the winding
        # down done again; once blocked, no signal comes through (one per kind may be pending).
        while True:
            try:
                _wind_down(interrupts)
                break
            except KeyboardInterrupt:
                continue
    if interrupts.signum is not None:
        try:
            print(f"storybinder: {_NAMES.get(interrupts.signum, 'stopped')}", file=sys.stderr)
        except (OSError, ValueError):
            pass  # stderr is gone (the terminal closed): the exit code still says it
        code = 128 + interrupts.signum
    sys.exit(code)


def _wind_down(interrupts: Interrupts) -> None:
    """What the command line does once the command is over, before the process exits."""
    # Blocked first: a signal arriving now waits, and the exit stays the one decided here.
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
    # The command is over, and what is alive now lives until the process ends. Python's exit
    # went over all of it in three full collections (some 44,000 objects and 217,000
    # references; the cleaner's lexicon is one set of 83,000 words): 60-100 ms of CPU of a
    # one-story build. Frozen, the collector skips it; the memory goes with the process.
    # atexit and the worker pools' shutdown run as before; only the finalizer of garbage
    # in a reference cycle, which Python never promises to run at exit, may no longer run
    # (every file we write is closed by then).
    gc.freeze()
    # A KeyboardInterrupt that went up through an exec() of a string (dataclasses make their
    # methods so: a signal in the middle of an import) is remembered by the interpreter, and
    # `python -m storybinder` then exits 130 whatever code we give, SIGTERM's 143 included.
    # The next exec() of a string starts by forgetting it.
    exec("")  # (an empty string: nothing runs)
    if hasattr(signal, "setitimer"):
        signal.setitimer(signal.ITIMER_REAL, 0)  # a signal waiting to be sent again is moot now
    # Python's own shutdown (atexit, worker pools joining) is not to be cut short by a second Ctrl-C.
    for signum in _SIGNALS:
        if signal.getsignal(signum) == interrupts.handle:
            signal.signal(signum, signal.SIG_IGN)


def _in_module_lock_callback(frame: FrameType | None) -> bool:
    """Whether the signal came inside importlib's module-lock weakref callback."""
    return frame is not None and frame.f_code.co_name == "cb" and frame.f_code.co_filename.startswith("<frozen importlib")


@contextmanager
def deferred() -> Iterator[None]:
    """Hold SIGINT and SIGTERM until the block ends, then let them act (no-op outside the main thread)."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread receives signals in Python
        return
    held: list[int] = []

    def hold(signum: int, frame: FrameType | None) -> None:
        held.append(signum)

    previous = {signum: signal.signal(signum, hold) for signum in _SIGNALS}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            # (None: a handler set outside Python, which Python cannot put back; the default is nearest.)
            signal.signal(signum, signal.SIG_DFL if handler is None else handler)
        if held:
            _deliver(held[0], previous[held[0]])


def _deliver(signum: int, handler: object) -> None:
    """Act on a held signal as its own handler would have."""
    if callable(handler):
        handler(signum, None)
    elif handler == signal.SIG_DFL:
        os.kill(os.getpid(), signum)  # the default action: the process ends as it would have


@contextmanager
def blocked_in_children() -> Iterator[None]:
    """Block SIGINT and SIGTERM in this thread while worker processes are forked from it.

    A forked worker starts with the parent's handlers: a Ctrl-C that reached it
    before its initializer set SIGINT to be ignored printed a traceback. The
    children inherit the blocked mask and unblock it themselves (`unblock`); a
    signal the parent got meanwhile is delivered when the block ends.
    """
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def unblock() -> None:
    """In a forked worker: take the parent's block off SIGINT and SIGTERM (after choosing their handlers)."""
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _SIGNALS)
