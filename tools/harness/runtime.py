"""The event loop a plan runs on, its time bound, and where a crash happened.

The Python language host runs a program on one asyncio loop and makes each engine call on a thread pool; the mock
monitor answers in microseconds, so here each call runs inline on the loop (a thread hop per registration cost
more than the registration). A plan is bounded: when the program does not finish in time, `PlanTimeout` says
what it was still waiting on (resources whose inputs never resolved, invokes, outputs), never a silent hang.
"""
from __future__ import annotations

import asyncio
import contextvars
import functools
import gc
import os
import threading
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


class PlanTimeout(Exception):
    """The program did not finish within the bound; the message lists what it was waiting on."""


class _Handle(asyncio.Handle):
    """asyncio.Handle without the debug-mode check its constructor makes (InlineLoop uses it only when the loop
    is not in debug mode, where that check finds nothing to record)."""

    __slots__ = ()

    def __init__(self, callback: Any, args: tuple, loop: asyncio.AbstractEventLoop, context: Any) -> None:
        self._context = context if context is not None else contextvars.copy_context()
        self._loop = loop
        self._callback = callback
        self._args = args
        self._cancelled = False
        self._repr = None
        self._source_traceback = None


class InlineLoop(asyncio.SelectorEventLoop):
    """`run_in_executor` runs the call at once on the loop's thread (the SDK only sends monitor calls there).
    `call_soon`, which runs for every task step, wake-up and done-callback (30,000 times for the dev stack),
    queues the callback directly unless the loop is closed or in debug mode (then asyncio's own checks run)."""

    def call_soon(self, callback: Any, *args: Any, context: Any = None) -> asyncio.Handle:
        if self._debug or self._closed:
            return super().call_soon(callback, *args, context=context)
        handle = _Handle(callback, args, self, context)
        self._ready.append(handle)
        return handle

    def run_in_executor(self, executor: Any, func: Callable[..., Any], *args: Any) -> asyncio.Future:
        future = self.create_future()
        try:
            result = func(*args)
        except BaseException as error:  # noqa: BLE001 handed to the awaiting coroutine, as the executor would
            future.set_exception(error)
            return future
        if asyncio.iscoroutine(result):  # a call the monitor answers after awaiting callbacks (transforms)
            return self.create_task(result)
        future.set_result(result)
        return future


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while a program runs: a plan is short-lived, and each full collection walks
    every object the provider SDKs created at import (hundreds of thousands), which made registration cost grow
    with the number of resources. Reference counting still frees everything acyclic."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def run_bounded(loop: asyncio.AbstractEventLoop, coroutine: Any, timeout: float,
                describe_pending: Callable[[], list[str]]) -> Any:
    """Run `coroutine` to completion on `loop`, or raise PlanTimeout after `timeout` seconds.

    A watchdog thread interrupts the loop from outside, so a program stuck in its own code (a busy loop, a
    blocking call) is stopped as well as one awaiting a future that never resolves."""
    task = loop.create_task(coroutine)
    expired = threading.Event()
    done = threading.Event()

    def watchdog() -> None:
        if not done.wait(timeout):
            expired.set()
            loop.call_soon_threadsafe(task.cancel)
            if not done.wait(2.0):  # the loop itself is blocked: interrupt the main thread
                import _thread

                _thread.interrupt_main()

    threading.Thread(target=watchdog, name="plan-watchdog", daemon=True).start()
    try:
        return loop.run_until_complete(task)
    except (asyncio.CancelledError, KeyboardInterrupt):
        if not expired.is_set():
            raise
        waiting = describe_pending()
        detail = "; ".join(waiting[:8]) + (f"; and {len(waiting) - 8} more" if len(waiting) > 8 else "")
        raise PlanTimeout(f"the program did not finish within {timeout:g} s; still waiting on: "
                          f"{detail or 'nothing the harness can see (a blocking call in the program?)'}") from None
    finally:
        done.set()


def crash_site(error: BaseException, roots: list[Path]) -> str:
    """`file:line` of the innermost frame under one of `roots` (the program's or the pack's files), else the
    innermost frame of all; paths relative to the root that matched."""
    frames = traceback.extract_tb(error.__traceback__)
    resolved = [Path(r).resolve() for r in roots]
    for frame in reversed(frames):
        path = Path(frame.filename).resolve()
        if "site-packages" in path.parts:
            continue
        for root in resolved:
            if path.is_relative_to(root):
                return f"{path.relative_to(root)}:{frame.lineno}"
    if frames:
        return f"{os.path.basename(frames[-1].filename)}:{frames[-1].lineno}"
    return "unknown location"


def one_line(error: BaseException) -> str:
    """`Type: message` on one line (multi-line messages joined with '; ')."""
    text = "; ".join(part.strip() for part in str(error).splitlines() if part.strip())
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


async def wait_for_rpcs(await_all_outstanding_tasks: bool = True) -> None:
    """pulumi.runtime.stack.wait_for_rpcs with one change: outstanding outputs are awaited with
    FIRST_EXCEPTION instead of FIRST_COMPLETED. The SDK's loop re-registered a callback on every pending output
    each time one completed (quadratic: ~75,000 callback registrations for this project's dev stack); waiting
    until all complete or one fails ends in the same state and surfaces the same first failure."""
    from pulumi.runtime.settings import SETTINGS, _get_rpc_manager

    rpc_manager = _get_rpc_manager()
    while True:
        while len(rpc_manager.rpcs) > 0:
            await asyncio.sleep(0)
            try:
                await rpc_manager.rpcs.pop()
            except Exception as exn:
                if rpc_manager.unhandled_exception is not None:
                    cause = rpc_manager.unhandled_exception.with_traceback(rpc_manager.exception_traceback)
                    raise exn from cause
                raise
        if rpc_manager.unhandled_exception is not None:
            raise rpc_manager.unhandled_exception.with_traceback(rpc_manager.exception_traceback)
        if await_all_outstanding_tasks:
            while True:
                with SETTINGS.lock:
                    # An output that completed is dropped here, as the SDK's done-callback would have dropped
                    # it (see `_track`); failed and cancelled ones stay, to be awaited (and raise) below.
                    pending = [output for output in SETTINGS.outputs if not output.done() or output.cancelled()
                               or output.exception() is not None]
                    SETTINGS.outputs.clear()
                    if not pending:
                        break
                done, not_done = await asyncio.wait(pending, return_when=asyncio.FIRST_EXCEPTION)
                for task in done:
                    await task
                if not_done:
                    with SETTINGS.lock:
                        SETTINGS.outputs.update(not_done)
        if len(rpc_manager.rpcs) == 0:
            break


def _stack_trace():  # noqa: ANN202 (a source_pb2.StackTrace)
    """pulumi.runtime.resource._get_stack_trace without reading every frame's source line from disk and without
    a pathlib conversion per frame: the same frames, file URIs and line numbers (what the engine records). Each
    distinct frame message is built once and copied into the trace (4x faster than building ~40 per resource)."""
    import sys as _sys

    from pulumi.runtime.proto import source_pb2

    frames = []
    frame = _sys._getframe(1)
    while frame is not None:
        frames.append(frame)
        frame = frame.f_back
    inits, index = 0, len(frames)
    for i, candidate in enumerate(frames):  # innermost first, as the SDK scans the extracted stack backwards
        if candidate.f_code.co_name == "__init__":
            inits += 1
            if inits == 3:
                index = i
                break
    if index >= len(frames) - 1:
        return source_pb2.StackTrace()
    return source_pb2.StackTrace(frames=[_stack_frame(candidate.f_code.co_filename, candidate.f_lineno)
                                         for candidate in frames[index + 1:]])


@functools.cache
def _stack_frame(filename: str, line: int):  # noqa: ANN202 (a source_pb2.StackFrame, never modified: copied)
    from pulumi.runtime.proto import source_pb2

    uri = _file_uri(filename) if filename else None
    return source_pb2.StackFrame(pc=source_pb2.SourcePosition(uri=uri, line=line) if uri else None)


@functools.cache
def _file_uri(filename: str) -> str | None:
    try:
        return Path(filename).as_uri()
    except ValueError:  # a relative path (e.g. "<string>"): the SDK leaves the position out too
        return None


# The pulumi SDK whose Output._track the replacement below was checked against (pulumi/output.py).
TRACKED_OUTPUTS_VERSION = "3.272.0"


def _tracker(outputs: set, lock: Any) -> Any:
    def _track(self) -> None:  # noqa: ANN001 (an Output)
        """pulumi.Output._track without the done-callback that removes a completed output from
        SETTINGS.outputs: one loop callback per output (15,000 for the dev stack, a third of all);
        `wait_for_rpcs` above drops completed outputs when it reads the set, so it awaits exactly what the SDK's
        wait would have. The set and its lock are the ones of the run's settings (only creating new Settings
        replaces them), read once instead of twice per output through their context variables."""
        with lock:
            outputs.add(self._data)

    return _track


@contextmanager
def quick_rpc_wait() -> Iterator[None]:
    """The SDK's wait for outstanding work, its stack-trace capture and (for the SDK version checked) its
    output tracking, replaced by the equivalents above."""
    import pulumi
    import pulumi.runtime.resource as resource
    import pulumi.runtime.stack as stack
    from pulumi._version import _VERSION
    from pulumi.runtime.settings import SETTINGS

    originals = stack.wait_for_rpcs, resource._get_stack_trace, pulumi.Output._track
    stack.wait_for_rpcs, resource._get_stack_trace = wait_for_rpcs, _stack_trace
    if _VERSION == TRACKED_OUTPUTS_VERSION:
        pulumi.Output._track = _tracker(SETTINGS.outputs, SETTINGS.lock)
    try:
        yield
    finally:
        stack.wait_for_rpcs, resource._get_stack_trace, pulumi.Output._track = originals
