"""``python -m simulator`` runs the ``relance`` command."""

from simulator.cli import main

raise SystemExit(main())
