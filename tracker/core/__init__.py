"""Pure domain core: decisions over small dataclasses, `now` passed in, no Flask or database."""
