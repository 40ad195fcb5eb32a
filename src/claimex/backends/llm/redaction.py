"""Keep the API key out of everything claimex writes: failure reasons, the call log, messages.

The key lives only in the HTTP client's headers. Text that came back from a
server (an error body, a raw response) may still echo it, whole or masked the
way OpenAI does ("sk-abc***xyz"), so every such text passes through
`Redactor.clean` before it is stored or shown.
"""

from __future__ import annotations

import re

MASK = "[redacted]"
MIN_SECRET_LENGTH = 8  # shorter "keys" are placeholders for local servers, not secrets
# OpenAI-style keys, also as servers echo them partly masked with asterisks.
_KEY_LIKE = re.compile(r"\bsk-[A-Za-z0-9_\-*.]{6,}")


class Redactor:
    """Removes one secret (and anything shaped like an OpenAI key) from text."""

    def __init__(self, secret: str | None) -> None:
        self._secret = secret if secret and len(secret) >= MIN_SECRET_LENGTH else None

    def clean(self, text: str) -> str:
        if self._secret:
            text = text.replace(self._secret, MASK)
        return _KEY_LIKE.sub(MASK, text)
