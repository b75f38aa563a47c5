"""Where things live: the curated data, the atlas store, the trials store.

Resolution order for each: an explicit argument (CLI flag), then an environment variable, then a
default. Nothing here touches the network or ``../shared``.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = [
    "atlas_db_url",
    "data_dir",
    "sqlite_path",
    "trials_db_url",
    "trials_store_exists",
    "user_data_dir",
]

#: The curated data shipped inside the package (a link to the repository's data/ folder in a
#: checkout; a copy inside a built wheel).
PACKAGE_DATA = Path(__file__).resolve().parent / "data"


def user_data_dir() -> Path:
    """The per-user folder for the built stores (created on demand)."""
    override = os.environ.get("CTATLAS_HOME")
    if override:
        path = Path(override)
    else:
        from platformdirs import user_data_path

        path = user_data_path("ctatlas", appauthor=False)
    path.mkdir(parents=True, exist_ok=True)
    return path


def data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The curated data folder: ``--data``, then ``CTATLAS_DATA``, then the packaged data."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("CTATLAS_DATA")
    if env:
        return Path(env)
    return PACKAGE_DATA


def atlas_db_url(explicit: str | None = None) -> str:
    """The atlas store's SQLAlchemy URL: ``--db``, then ``CTATLAS_DB``, then SQLite."""
    if explicit:
        return normalise_url(explicit)
    env = os.environ.get("CTATLAS_DB")
    if env:
        return normalise_url(env)
    return f"sqlite:///{user_data_dir() / 'atlas.sqlite'}"


def trials_db_url(explicit: str | None = None, atlas_url: str | None = None) -> str:
    """The trials store's URL. It is never replaced by ``ctatlas build``.

    ``CTATLAS_TRIALS_DB`` wins; otherwise, with a PostgreSQL atlas the trials live in the same
    database (schema ``ctatlas_trials``), and with SQLite in ``trials.sqlite`` in the user data
    folder.
    """
    if explicit:
        return normalise_url(explicit)
    env = os.environ.get("CTATLAS_TRIALS_DB")
    if env:
        return normalise_url(env)
    atlas = atlas_url or atlas_db_url()
    if atlas.startswith("postgresql"):
        return atlas
    return f"sqlite:///{user_data_dir() / 'trials.sqlite'}"


def normalise_url(url: str) -> str:
    """Accept a bare path for SQLite and plain postgres:// URLs (psycopg 3 driver)."""
    if "://" not in url:
        return f"sqlite:///{Path(url).resolve()}"
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for other databases / in-memory SQLite."""
    if not url.startswith("sqlite"):
        return None
    rest = url.split(":///", 1)[1] if ":///" in url else ""
    if not rest or rest == ":memory:":
        return None
    return Path(rest)


def trials_store_exists(url: str) -> bool:
    """Whether the trials store at ``url`` exists (found without creating anything)."""
    if url.startswith("sqlite"):
        path = sqlite_path(url)
        return path is not None and path.exists()
    import sqlalchemy as sa

    from ctatlas.trials.store import SCHEMA_PG

    engine = sa.create_engine(url)
    try:
        return bool(sa.inspect(engine).has_schema(SCHEMA_PG))
    except sa.exc.SQLAlchemyError:
        return False
    finally:
        engine.dispose()
