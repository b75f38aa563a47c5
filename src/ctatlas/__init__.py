"""Cell Therapy Atlas: cell therapy products, their regulation and their pipeline, as data."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
