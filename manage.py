#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learnfrl.settings")
    # manage.py is a developer's tool: without DEBUG in the environment it runs as on a laptop.
    # Production sets DEBUG=0 (and SECRET_KEY) explicitly, as README "Running in production" shows;
    # the WSGI and ASGI entry points keep DEBUG off by default.
    os.environ.setdefault("DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
