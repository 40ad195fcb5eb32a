"""The `claimex` command line: one module per group of commands, each only parsing
options and calling the library."""

import claimex.cli.batch
import claimex.cli.database
import claimex.cli.evaluate
import claimex.cli.extract
import claimex.cli.review
import claimex.cli.rules
import claimex.cli.spec  # noqa: F401  (importing the command modules registers them)
from claimex.cli.app import app

__all__ = ["app"]
