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
