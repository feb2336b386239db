"""Allow ``python -m harmgraph``."""

from harmgraph.cli import main

main()
