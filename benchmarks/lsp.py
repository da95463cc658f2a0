"""Time `infoint lsp` as an editor meets it: start-up, and a keystroke's diagnostics.

- start-up: from starting the process to the answer to `initialize`; ready: to the
  first diagnostics of a note opened right after `initialized` (the vault loaded from
  the warm cache, the note checked against it).
- keystroke: from sending a `didChange` that gives an open note a broken link (or takes
  it away again) to receiving its `publishDiagnostics`.

A small blocking JSON-RPC client over the server's pipes; each measurement is wall
clock in this process.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, BinaryIO


class _Client:
    def __init__(self, command: list[str], env: dict[str, str]) -> None:
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        self.number = 0

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps(message).encode()
        stdin = self.process.stdin
        assert stdin is not None
        stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        stdin.flush()

    def request(self, method: str, params: Any) -> int:
        self.number += 1
        self.send({"jsonrpc": "2.0", "id": self.number, "method": method, "params": params})
        return self.number

    def notify(self, method: str, params: Any) -> None:
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def receive(self) -> dict[str, Any]:
        stdout: BinaryIO | None = self.process.stdout
        assert stdout is not None
        length = 0
        while True:
            line = stdout.readline()
            if not line:
                raise SystemExit("infoint lsp ended unexpectedly")
            if line.startswith(b"Content-Length:"):
                length = int(line.split(b":")[1])
            elif line in (b"\r\n", b"\n") and length:
                return json.loads(stdout.read(length))

    def answer(self, number: int) -> dict[str, Any]:
        while True:
            message = self.receive()
            if message.get("id") == number and "method" not in message:
                return message
            if "method" in message and "id" in message:  # a request to us: decline
                self.send({"jsonrpc": "2.0", "id": message["id"], "result": None})

    def diagnostics(self, uri: str) -> list[dict[str, Any]]:
        while True:
            message = self.receive()
            if message.get("method") == "textDocument/publishDiagnostics":
                if message["params"]["uri"] == uri:
                    return message["params"]["diagnostics"]
            elif "method" in message and "id" in message:
                self.send({"jsonrpc": "2.0", "id": message["id"], "result": None})

    def close(self) -> None:
        self.answer(self.request("shutdown", None))
        self.notify("exit", None)
        self.process.wait(timeout=60)


def _session(
    vault: Path, note: Path, env: dict[str, str]
) -> tuple[_Client, str, str, float, float]:
    command = [
        sys.executable,
        "-c",
        "import sys; from infoint_notes.cli import main; main()",
        "lsp",
    ]
    client = _Client(command, env)
    capabilities = {"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": True}}}
    client.answer(
        client.request(
            "initialize",
            {"processId": os.getpid(), "rootUri": vault.as_uri(), "capabilities": capabilities},
        )
    )
    initialized = time.perf_counter() - client.started
    client.notify("initialized", {})
    uri = note.as_uri()
    text = note.read_text(encoding="utf-8")
    client.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}},
    )
    client.diagnostics(uri)
    ready = time.perf_counter() - client.started
    return client, uri, text, initialized, ready


def measure_lsp(vault: Path, note: Path, runs: int, env: dict[str, str]) -> dict[str, float]:
    """Medians (seconds) of start-up, ready, and keystroke-to-diagnostics."""
    starts, readies = [], []
    keystrokes: dict[bool, list[float]] = {True: [], False: []}
    for round_number in range(runs + 1):  # round 0 warms the OS's caches, not counted
        client, uri, text, initialized, ready = _session(vault, note, env)
        if round_number:
            starts.append(initialized)
            readies.append(ready)
        version = 1
        for step in range(2 * max(runs, 5)):
            version += 1
            # Even steps give the note a broken link (a new target each time: nothing is
            # remembered), odd steps take it away.
            changed = (
                text + f"\nAsk [[nobody-{round_number}-{step}]] too.\n" if step % 2 == 0 else text
            )
            sent = time.perf_counter()
            client.notify(
                "textDocument/didChange",
                {
                    "textDocument": {"uri": uri, "version": version},
                    "contentChanges": [{"text": changed}],
                },
            )
            found = client.diagnostics(uri)
            elapsed = time.perf_counter() - sent
            broken = step % 2 == 0
            assert any(d["code"] == "broken-link" for d in found) == broken
            if round_number:
                keystrokes[broken].append(elapsed)
        client.close()
    return {
        "lsp start-up": statistics.median(starts),
        "lsp ready": statistics.median(readies),
        "lsp keystroke +link": statistics.median(keystrokes[True]),
        "lsp keystroke -link": statistics.median(keystrokes[False]),
        "lsp keystroke max": max(keystrokes[True] + keystrokes[False]),
    }
