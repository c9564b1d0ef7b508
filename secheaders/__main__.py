"""``python -m secheaders``: the command-line interface."""

from .cli import main

main()
