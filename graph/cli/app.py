"""The ``harmgraph app`` command: start the Streamlit explorer as this process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from importlib import resources
from pathlib import Path

import click


def register(cli: click.Group, epilog: str) -> None:
    """Add the ``app`` command to the ``harmgraph`` group."""

    @cli.command(epilog=epilog)
    @click.option(
        "--port",
        type=click.IntRange(1, 65535),
        default=8501,
        show_default=True,
        help="The port to serve on.",
    )
    @click.option(
        "--host",
        default="127.0.0.1",
        show_default=True,
        help="The address to bind (loopback by default).",
    )
    @click.pass_obj
    def app(obj, port: int, host: str) -> None:
        """Start the read-only Streamlit explorer on the bundled graph or on --data."""
        script = Path(str(resources.files("harmgraph.app"))) / "streamlit_app.py"
        if not script.exists():
            raise click.ClickException(f"the app is missing from the installed package: {script}")
        env = dict(os.environ)
        env["HARMGRAPH_DATA"] = os.pathsep.join(str(p.resolve()) for p in obj.data)
        env["HARMGRAPH_STORE"] = str(obj.store.resolve()) if obj.store else ""
        env["HARMGRAPH_ENDPOINT"] = obj.endpoint or ""
        command = [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(script),
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
            "--server.address",
            host,
            "--server.port",
            str(port),
            "--global.developmentMode",
            "false",
            "--client.toolbarMode",
            "viewer",
        ]
        # Become the server: a SIGTERM or Ctrl-C sent to `harmgraph app` then reaches Streamlit
        # itself and nothing is left holding the port.
        sys.stdout.flush()
        sys.stderr.flush()
        if os.name == "posix":
            os.execve(sys.executable, command, env)
        sys.exit(run_forwarding_signals(command, env))


def run_forwarding_signals(command: list[str], env: dict[str, str]) -> int:
    """Run ``command`` and pass SIGINT and SIGTERM on to it, then wait for it (where a process
    cannot replace itself with the server)."""
    child = subprocess.Popen(command, env=env)

    def forward(number: int, _frame: object) -> None:
        child.send_signal(number)

    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, forward)
    return child.wait()
