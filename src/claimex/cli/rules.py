"""`claimex rules list`: every rule of the rules backend, to read the ids in claims.rules."""

from __future__ import annotations

import typer

from claimex.backends.rules.registry import RULES
from claimex.cli.app import app

rules_app = typer.Typer(help="The rules backend's rules (the ids stored in claims.rules).")
app.add_typer(rules_app, name="rules")


@rules_app.command("list")
def list_rules() -> None:
    """Print each rule id with the field it decides, its description and its example sentences."""
    for rule in RULES:
        typer.echo(
            f"{rule.id}  [{rule.field}, {rule.stage} priority {rule.priority}]  {rule.description}"
        )
        for example in rule.examples:
            typer.echo(f"    e.g. {example}")
