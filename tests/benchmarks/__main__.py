"""``python -m tests.benchmarks`` (see :mod:`tests.benchmarks.runner`)."""

from __future__ import annotations

import sys

from .runner import main

sys.exit(main())
