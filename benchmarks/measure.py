"""Shared by the benchmark scripts: run a command, time it, watch the memory of its process tree."""

from __future__ import annotations

import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def speed_probe() -> str:
    """How fast the machine is right now: a fixed pure-Python loop, timed. On this project's
    machines the same code's time moves by up to a factor of two within minutes; a figure means
    something only beside the probe taken with it."""
    start = time.perf_counter()
    total = 0
    for number in range(10_000_000):
        total += number
    return f"speed probe: 10 million additions in {time.perf_counter() - start:.2f} s (lower is faster)"


def compile_package() -> None:
    """Write the bytecode of aixin's own modules, as Python does on their first import everywhere
    except where PYTHONDONTWRITEBYTECODE is set (as on this project's machines): without it every
    run compiles them again (about a third of a second) and the figures would not be a user's."""
    import aixin

    subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(aixin.__file__).parent)], check=True)


def tree_rss_kib(pid: int) -> int:
    """Resident memory of a process and all its descendants, from /proc."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:")))
            for task in Path(f"/proc/{current}/task").iterdir():
                todo.extend(int(c) for c in (task / "children").read_text().split())
        except (OSError, StopIteration, ValueError):
            continue
    return total


def timed(command: list[str], cwd: Path) -> tuple[float, int, int]:
    """(seconds, peak tree RSS in MiB, exit code) of one command."""
    seconds, _, peak, code = timed_cpu(command, cwd)
    return seconds, peak, code


def median_of(label: str, command: list[str], cwd: Path, repeat: int, before, width: int = 10) -> float:
    """Run `before()` then `command` `repeat` times; print the median, peak memory and every run's
    seconds on one line (the reports' benchmarks), and return the median."""
    runs = []
    for _ in range(repeat):
        before()
        runs.append(timed(command, cwd))
    seconds, _, code = sorted(runs)[len(runs) // 2]
    peak = max(r[1] for r in runs)
    shown = ", ".join(f"{r[0]:.2f}" for r in runs)
    print(
        f"  {label:<{width}} {seconds:6.2f} s   peak memory {peak:5d} MiB   exit {code}   (median of {repeat}: {shown})"
    )
    return seconds


def cpu_of_children() -> float:
    """User + system seconds of every child process waited for so far (their own children too)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_cpu(command: list[str], cwd: Path) -> tuple[float, float, int, int]:
    """(seconds, CPU seconds, peak tree RSS in MiB, exit code) of one command (`timed_output`)."""
    return timed_output(command, cwd)[:4]


def timed_output(command: list[str], cwd: Path) -> tuple[float, float, int, int, str]:
    """(seconds, CPU seconds (user + system), peak tree RSS in MiB, exit code, what it printed) of
    one command: the CPU figure moves less than the wall clock when other work shares the machine."""
    peak = 0
    cpu = cpu_of_children()
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    done = threading.Event()

    def watch():
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss_kib(process.pid))
            time.sleep(0.02)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    out, err = process.communicate()
    elapsed = time.perf_counter() - start
    done.set()
    watcher.join()
    if process.returncode not in (0, 1):
        sys.stderr.write(err.decode(errors="replace"))
    return elapsed, cpu_of_children() - cpu, peak // 1024, process.returncode, out.decode(errors="replace")


def generate(scale: float, folder: Path, until: str | None = None) -> None:
    """`aixin demo` at `scale` into `folder`: one programme year (the benchmarks' default, so that
    figures stay comparable), or a contact log up to `until` (年-月-日) over several years."""
    start = time.perf_counter()
    command = [str(BIN / "aixin"), "demo", "--out", str(folder), "--scale", str(scale)]
    subprocess.run([*command, "--until", until] if until else command, check=True, stdout=subprocess.DEVNULL)
    files = sum(1 for _ in (folder / "records").rglob("*.yaml"))
    print(f"  generated {files:,} record files in {time.perf_counter() - start:.1f} s")
