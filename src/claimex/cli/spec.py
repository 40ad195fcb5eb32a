"""`claimex spec`: print the claim specification every stored claim follows."""

from __future__ import annotations

import typer

from claimex.cli.app import app
from claimex.spec import spec_text


@app.command()
def spec() -> None:
    """Print the claim specification (Markdown): every field, unit and matching rule."""
    typer.echo(spec_text(), nl=False)
