"""Time infoint on synthetic vaults, side by side with the naive way, in one run.

    python benchmarks/run.py                  # 1k and 10k notes, 5 runs each
    python benchmarks/run.py --sizes 1k,10k,50k --runs 3

Every measurement is a fresh process (what a user waits for), timed by wall clock, with
its peak memory (max RSS from `wait4`); the table shows medians. Compare ratios within one
run: the machine's load changes between runs. The commands:

- naive: python-frontmatter (explicit YAML handler, libyaml) on every note plus
  markdown-it-py on every body: what a straightforward script does.
- bare walk+stat: Python start-up, `os.walk` and one `stat` per note; the floor for any
  tool that must notice changed files.
- cold: `agenda --json` (`validate --format json` on a branch without `agenda`) with no
  `.infoint/`, timed until it ends (from 2,000 notes the caches are written by a child
  after the answer is out; every measurement waits for such a child before the next);
  warm: the same again with the cache in place (an unchanged vault: the
  agenda memo answers); 1 note edited: the same after one note changed (a contact in
  the middle of the vault, one more line of prose: the answer remembered is kept);
  front matter edited: the same after a field of another contact changed (its facts
  changed: the memo is brought up to date, and a new answer written); 1 note added /
  removed: the same after a new contact was written, then after it was deleted again
  (links and names under its keys are looked up again).
- validate cold / warm: `validate --format json`; validate, 1 note edited: after
  another note changed (the last validate was before the cache was dropped); 1 note
  edited since: the same right after a validate (what it found is kept).
- infoint.yaml edited: `agenda --json`, then `validate --format json`, each right after
  infoint.yaml changed (a comment added: every setting may have changed, so the agenda
  is computed whole again; the records of the notes still hold).
- complete a note: the shell asking `infoint log done pri<TAB>` (bash), answered from the
  cache the runs before wrote (SPEC 4.18: fast enough for a keypress).
- lsp start-up, ready, keystroke: `infoint lsp` answering `initialize`, publishing an
  opened note's diagnostics, and publishing them again after a keystroke that gives the
  note a broken link or takes it away (`benchmarks/lsp.py`).

And an import (`--import-rows`, default 10,000; 0 skips it), side by side with its floor:

- import linkedin: `infoint import linkedin` of a Connections.csv of that many people
  into a new vault, each note made from the contact template and written safely;
- write notes atomically: the same notes (the bytes that import wrote), each written as
  any safe writer must: a temporary file in the folder, fsync, rename (the folder
  synced once at the end). Timed inside its process, so it is the floor itself;
  the target is an import within 2x of it.
"""

from __future__ import annotations

import argparse
import fcntl
import itertools
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

from benchmarks.generate import NOW_TEXT, SIZES, generate, linkedin_csv  # noqa: E402
from benchmarks.lsp import measure_lsp  # noqa: E402

NAIVE = """
import os, sys
import frontmatter
from frontmatter.default_handlers import YAMLHandler
from markdown_it import MarkdownIt
root = sys.argv[1]
handler, md, count = YAMLHandler(), MarkdownIt("commonmark"), 0
for folder, dirs, names in os.walk(root):
    dirs[:] = sorted(d for d in dirs if not d.startswith(".")
                     and not (folder == root and d == "templates"))
    for name in sorted(names):
        if name.endswith(".md") and not name.startswith("."):
            with open(os.path.join(folder, name), encoding="utf-8") as handle:
                post = frontmatter.loads(handle.read(), handler=handler)
            md.parse(post.content)
            count += 1
print(count)
"""

BARE = """
import os, sys
count = 0
for folder, dirs, names in os.walk(sys.argv[1]):
    dirs[:] = [d for d in dirs if not d.startswith(".")]
    for name in names:
        if name.endswith(".md"):
            os.stat(os.path.join(folder, name))
            count += 1
print(count)
"""


ATOMIC_WRITES = """
import os, sys, tempfile, time
source, target = sys.argv[1], sys.argv[2]
notes = []
for name in sorted(os.listdir(source)):
    with open(os.path.join(source, name), "rb") as handle:
        notes.append((name, handle.read()))
os.makedirs(target)
started = time.perf_counter()
for name, data in notes:
    handle, temporary = tempfile.mkstemp(dir=target, prefix="." + name + ".", suffix=".tmp")
    with os.fdopen(handle, "wb") as stream:
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())
    os.replace(temporary, os.path.join(target, name))
folder = os.open(target, os.O_RDONLY)
os.fsync(folder)
os.close(folder)
print(time.perf_counter() - started)
"""

CONSOLE_SCRIPT = "import sys; from infoint_notes.cli import main; sys.exit(main())"


def measure(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(seconds, peak MiB) of one process; fails loudly if it fails."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    errors = process.stderr.read().decode() if process.stderr else ""
    if process.stderr:
        process.stderr.close()
    if process.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{errors}")
    return elapsed, usage.ru_maxrss / 1024  # Linux reports KiB


def wait_for_finishing(vault: Path) -> None:
    """Wait for a child still writing the caches of the run just measured (a first run
    of a large vault answers first: `speed/background.py`), so that it neither slows
    the next measurement down nor leaves it caches it did not write."""
    lock = vault / ".infoint" / "finishing.lock"
    try:
        fd = os.open(lock, os.O_RDONLY)
    except OSError:
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_SH)
    finally:
        os.close(fd)


def infoint_has(command: str, env: dict[str, str]) -> bool:
    listing = subprocess.run(
        [sys.executable, "-m", "infoint_notes", "--help"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return any(line.split()[:1] == [command] for line in listing.splitlines())


def bench_size(label: str, count: int, runs: int, work: Path, env: dict[str, str]) -> dict:
    vault = work / f"vault-{label}"
    generate(vault, count)
    scripts = {"naive": work / "naive.py", "bare": work / "bare.py"}
    scripts["naive"].write_text(NAIVE)
    scripts["bare"].write_text(BARE)
    # What the installed `infoint` script runs (`python -m` adds runpy's start-up).
    infoint = [sys.executable, "-c", CONSOLE_SCRIPT, "--vault", str(vault)]
    primary = (
        ["agenda", "--json"] if infoint_has("agenda", env) else ["validate", "--format", "json"]
    )
    validate = ["validate", "--format", "json"]

    def drop_cache() -> None:
        shutil.rmtree(vault / ".infoint", ignore_errors=True)

    contacts = sorted((vault / "contacts").glob("*.md"))
    edited = contacts[len(contacts) // 2]
    edited_too = contacts[len(contacts) // 2 + 1]
    config = vault / "infoint.yaml"

    def edit(path: Path, text: str) -> None:
        """What a user does between two runs: one file changes (one more line)."""
        stamp = time.time() - 3600  # out of the racy window, as an edit a while ago
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(text)
        os.utime(path, (stamp, stamp))

    def edit_one_note() -> None:
        edit(edited, "\nAnother line.\n")

    def edit_another_note() -> None:
        edit(edited_too, "\nAnother line.\n")

    edited_front = contacts[len(contacts) // 2 + 2]
    rooms = itertools.count(1)

    def edit_front_matter() -> None:
        """A field of a contact's front matter changed (its facts change: the memo's
        units are computed again, no remembered answer is kept through it). Its value
        is new each round; the field is written once (no duplicate key)."""
        text = edited_front.read_text(encoding="utf-8")
        line = f"location: Room {next(rooms)}\n"
        if "\nlocation: " in text:
            text = re.sub(r"\nlocation: .*\n", lambda _: "\n" + line, text, count=1)
        else:
            text = text.replace("---\n", "---\n" + line, 1)
        stamp = time.time() - 3600
        edited_front.write_text(text, encoding="utf-8")
        os.utime(edited_front, (stamp, stamp))

    added = vault / "contacts" / "zz-added-contact.md"

    def add_note() -> None:
        """A new contact, written a while ago (as `infoint new contact` would)."""
        added.write_text(
            "---\ntype: contact\nname: Zz Added Contact\norganization: Contoso\n---\n",
            encoding="utf-8",
        )
        stamp = time.time() - 3600
        os.utime(added, (stamp, stamp))

    def remove_note() -> None:
        added.unlink()

    def edit_config() -> None:
        edit(config, "# edited\n")

    steps = [
        ("naive", None, [sys.executable, str(scripts["naive"]), str(vault)]),
        ("bare walk+stat", None, [sys.executable, str(scripts["bare"]), str(vault)]),
        ("cold " + primary[0], drop_cache, infoint + primary),
        ("warm " + primary[0], None, infoint + primary),
        ("1 note edited, " + primary[0], edit_one_note, infoint + primary),
        ("front matter edited, " + primary[0], edit_front_matter, infoint + primary),
        ("1 note added, " + primary[0], add_note, infoint + primary),
        ("1 note removed, " + primary[0], remove_note, infoint + primary),
        ("validate, 1 note edited", edit_another_note, infoint + validate),
        ("infoint.yaml edited, " + primary[0], edit_config, infoint + primary),
        ("infoint.yaml edited, validate", edit_config, infoint + validate),
        ("validate cold", drop_cache, infoint + validate),
        ("validate warm", None, infoint + validate),
        # The usual edit between two checks: the last one's findings are kept.
        ("validate, 1 note edited since", edit_another_note, infoint + validate),
        # A keypress: `infoint log done pri<TAB>` answered from the cache just written.
        ("complete a note", None, [sys.executable, "-c", CONSOLE_SCRIPT]),
        ("no cache " + primary[0], None, infoint + primary),
    ]
    no_cache_env = {**env, "INFOINT_NO_CACHE": "1"}
    complete_env = {
        **env,
        "INFOINT_VAULT": str(vault),
        "_INFOINT_COMPLETE": "bash_complete",
        "COMP_WORDS": "infoint log done pri",
        "COMP_CWORD": "3",
    }
    if not infoint_has("completion", env):
        steps = [step for step in steps if step[0] != "complete a note"]
    times: dict[str, list[float]] = {name: [] for name, _, _ in steps}
    peaks: dict[str, float] = dict.fromkeys(times, 0.0)
    for round_number in range(runs + 1):  # round 0 warms the OS file cache, not counted
        for name, before, command in steps:
            if before is not None:
                before()
            chosen = {"complete a note": complete_env, "no cache": no_cache_env}
            seconds, peak = measure(command, chosen.get(name.split(" " + primary[0])[0], env))
            wait_for_finishing(vault)
            if round_number:
                times[name].append(seconds)
                peaks[name] = max(peaks[name], peak)
    medians = {name: statistics.median(values) for name, values in times.items()}
    if infoint_has("lsp", env):
        medians.update(measure_lsp(vault, contacts[len(contacts) // 3], runs, env))
    return {
        "label": label,
        "count": count,
        "primary": primary[0],
        "medians": medians,
        "peaks": peaks,
    }


def bench_import(rows: int, runs: int, work: Path, env: dict[str, str]) -> dict:
    """Median seconds of `infoint import linkedin` of `rows` people into a new vault,
    and of writing the same notes atomically (the floor), interleaved run by run."""
    export = work / "Connections.csv"
    export.write_text(linkedin_csv(rows), encoding="utf-8")
    writes = work / "atomic_writes.py"
    writes.write_text(ATOMIC_WRITES)
    vault = work / "import-vault"
    floor = work / "atomic-notes"
    times: dict[str, list[float]] = {"import linkedin": [], "write notes atomically": []}
    for round_number in range(runs + 1):  # round 0 warms the OS file cache, not counted
        for folder in (vault, floor):
            shutil.rmtree(folder, ignore_errors=True)
        vault.mkdir()
        (vault / "infoint.yaml").write_text("timezone: Europe/Berlin\n", encoding="utf-8")
        command = [sys.executable, "-c", CONSOLE_SCRIPT, "--vault", str(vault)]
        seconds, _ = measure([*command, "import", "linkedin", str(export)], env)
        written = len(list((vault / "contacts").glob("*.md")))
        if written != rows:
            raise SystemExit(f"import wrote {written} notes of {rows}")
        script = [sys.executable, str(writes), str(vault / "contacts"), str(floor)]
        floor_seconds = float(subprocess.run(script, capture_output=True, check=True).stdout)
        if round_number:
            times["import linkedin"].append(seconds)
            times["write notes atomically"].append(floor_seconds)
    return {name: statistics.median(values) for name, values in times.items()}


def import_report(rows: int, medians: dict[str, float]) -> str:
    ratio = medians["import linkedin"] / medians["write notes atomically"]
    lines = [f"import {rows:,} LinkedIn rows into a new vault", f"  {'':26} {'seconds':>8}"]
    lines += [f"  {name:26} {value:8.3f}" for name, value in medians.items()]
    lines.append(f"  import / atomic writes      = {ratio:.2f}x   (target <= 2x)")
    return "\n".join(lines)


def report(results: list[dict], runs: int) -> str:
    lines = [f"medians of {runs} runs, {os.cpu_count()} cores, Python {sys.version.split()[0]}"]
    for result in results:
        medians, peaks = result["medians"], result["peaks"]
        primary = result["primary"]
        lines.append("")
        lines.append(f"{result['count']:,} notes")
        lines.append(f"  {'':30} {'seconds':>8} {'peak MiB':>9}")
        for name, value in medians.items():
            peak_text = f"{peaks[name]:9.1f}" if name in peaks else ""
            lines.append(f"  {name:30} {value:8.3f} {peak_text}".rstrip())
        bare = medians["bare walk+stat"]
        cold = medians[f"cold {primary}"] / medians["naive"]
        warm = medians[f"warm {primary}"] / bare
        edited = medians[f"1 note edited, {primary}"] / bare
        cold_peak = peaks[f"cold {primary}"]
        lines.append(f"  1 note edited / bare walk+stat  = {edited:.2f}x   (target <= 3x)")
        lines.append(f"  cold {primary} / naive          = {cold:.2f}x   (target <= 0.30x)")
        lines.append(f"  warm {primary} / bare walk+stat = {warm:.2f}x   (target <= 2.5x)")
        lines.append(f"  peak memory, cold {primary}     = {cold_peak:.0f} MiB (target <= 150 MiB)")
        names = ("validate, 1 note edited", "validate, 1 note edited since")
        names += (f"infoint.yaml edited, {primary}",)
        names += (f"1 note added, {primary}", f"1 note removed, {primary}")
        for name in (f"front matter edited, {primary}", *names):
            lines.append(f"  {name + ' / bare walk+stat':31} = {medians[name] / bare:.2f}x")
        validate_ratio = medians["validate warm"] / medians["validate cold"]
        lines.append(f"  validate warm / cold            = {validate_ratio:.2f}x")
        if "complete a note" in medians:
            milliseconds = medians["complete a note"] * 1000
            target = "(target <= 100 ms)"
            lines.append(f"  complete a note                 = {milliseconds:.0f} ms   {target}")
        if "lsp keystroke +link" in medians:
            bare = medians["bare walk+stat"]
            warm_primary = medians[f"warm {primary}"]
            slower = max(medians["lsp keystroke +link"], medians["lsp keystroke -link"])
            keystroke = slower / bare
            start = medians["lsp start-up"] / warm_primary
            ready = medians["lsp ready"] / warm_primary
            lines.append(f"  lsp keystroke / bare walk+stat  = {keystroke:.2f}x   (target <= 1x)")
            lines.append(f"  lsp start-up / warm {primary:<11} = {start:.2f}x   (target <= 2x)")
            lines.append(f"  lsp ready / warm {primary:<14} = {ready:.2f}x")
    if len(results) > 1:
        lines.append("")
        for smaller, larger in itertools.pairwise(results):
            scale = larger["count"] / smaller["count"]
            grown = (
                larger["peaks"][f"cold {larger['primary']}"]
                / smaller["peaks"][f"cold {smaller['primary']}"]
            )
            lines.append(
                f"peak memory of a cold {smaller['primary']}, {smaller['count']:,} -> "
                f"{larger['count']:,} notes: x{grown:.1f} (linear: at most x{scale:.0f})"
            )
        lines.append("")
        lines.append("scaling (ms per 1,000 notes; flat = linear)")
        names = list(results[0]["medians"])
        header = "".join(f"{r['count']:>10,}" for r in results)
        lines.append(f"  {'':30}{header}")
        for name in names:
            row = "".join(f"{r['medians'][name] / r['count'] * 1e6:10.1f}" for r in results)
            lines.append(f"  {name:30}{row}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark infoint on synthetic vaults.")
    parser.add_argument("--sizes", default="1k,10k", help="comma-separated: 1k, 10k, 50k")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per measurement")
    parser.add_argument("--work", type=Path, help="folder for the vaults (default: a temp dir)")
    parser.add_argument(
        "--import-rows", type=int, default=10_000, help="LinkedIn rows to import (0: none)"
    )
    parser.add_argument("--import-runs", type=int, default=3, help="timed imports")
    args = parser.parse_args(argv)
    env = {**os.environ, "INFOINT_NOW": NOW_TEXT}
    env.pop("INFOINT_NO_CACHE", None)
    # Time what an installed copy does: with its bytecode cached, not compiled each run.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    work = args.work or Path(tempfile.mkdtemp(prefix="infoint-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    results = []
    imported: dict[str, float] = {}
    try:
        for label in filter(None, (label.strip() for label in args.sizes.split(","))):
            count = SIZES.get(label) or int(label)
            print(f"benchmarking {count:,} notes ...", file=sys.stderr, flush=True)
            results.append(bench_size(label, count, args.runs, work, env))
        if args.import_rows:
            print(f"importing {args.import_rows:,} rows ...", file=sys.stderr, flush=True)
            imported = bench_import(args.import_rows, args.import_runs, work, env)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    if results:
        print(report(results, args.runs))
    if imported:
        print(("\n" if results else "") + import_report(args.import_rows, imported))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
