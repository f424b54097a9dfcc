"""A Ctrl-C that lands inside importlib's module-lock callback is not swallowed there."""

from __future__ import annotations

import signal
import sys
import time

import pytest

from storybinder.interrupts import Interrupts

# Compiled under importlib's own name: a weakref callback there swallows what it raises
# ("Exception ignored in: <function _get_module_lock.<locals>.cb>"), so the handler must not raise in it.
_CALLBACK = compile("def cb(handle):\n    handle(2, sys._getframe())\n", "<frozen importlib._bootstrap>", "exec")


def test_a_signal_inside_the_module_lock_callback_is_raised_a_moment_later_outside_it():
    interrupts = Interrupts()
    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGALRM)}
    namespace: dict = {"sys": sys}
    exec(_CALLBACK, namespace)
    try:
        signal.signal(signal.SIGINT, interrupts.handle)
        namespace["cb"](interrupts.handle)  # returns: nothing raised inside the callback
        with pytest.raises(KeyboardInterrupt):
            deadline = time.monotonic() + 2
            while time.monotonic() < deadline:
                time.sleep(0.001)
        assert interrupts.signum == signal.SIGINT
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        for signum, handler in saved.items():
            signal.signal(signum, handler)


_ENDS_AS_SIGNAL_COMES = """
import gc, os, signal
from storybinder.interrupts import run_interruptible
freeze = gc.freeze
def freeze_as_a_signal_comes():
    os.kill(os.getpid(), signal.SIG%s)  # the Ctrl-C that lands as the command is over
    freeze()
gc.freeze = freeze_as_a_signal_comes
run_interruptible(lambda: None)
"""


@pytest.mark.parametrize("name", ["INT", "TERM"])
def test_a_signal_as_the_command_ends_is_no_traceback(name: str) -> None:
    # The command is done; the signal lands while the command line winds down (the last book
    # saved, Ctrl-C pressed). It must end as any other run does: no traceback.
    import subprocess

    done = subprocess.run([sys.executable, "-c", _ENDS_AS_SIGNAL_COMES % name], capture_output=True, text=True,
                          timeout=60)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode in (0, 128 + getattr(signal, "SIG" + name)), (done.returncode, done.stderr)
