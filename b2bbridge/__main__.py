"""``python -m b2bbridge`` runs the command line."""

from b2bbridge.cli.app import main

main()
