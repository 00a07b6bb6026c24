"""What the benchmark scripts share: scales, database names, settings, work directory.

Every knob is an environment variable with the prefix ``BENCH_`` (never ``ZWFW_``: the
service refuses unknown ``ZWFW_*`` variables).
"""

from __future__ import annotations

import os
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "bench"
WORK_DIR = ROOT / "var" / "bench"
VENV_BIN = Path(sys.executable).parent

# The development secret `make` uses; the benchmark signs its tokens with whatever the
# environment gives the server.
DEFAULT_JWT_SECRET = "dev-only-secret-change-me-0123456789abcdef"  # noqa: S105
# The development keys of personal data at rest that `make` exports (never real keys).
DEFAULT_DATA_KEY = "dev1:ZGV2LW9ubHktZGF0YS1rZXktMzItYnl0ZXMtbG9uZyE="
DEFAULT_BLIND_INDEX_KEY = "ZGV2LW9ubHktYmxpbmQtaW5kZXgta2V5LTMyLWJ5dGVz"

PG_HOST = os.environ.get("BENCH_PG_HOST", "127.0.0.1")
PG_PORT = int(os.environ.get("BENCH_PG_PORT", "5432"))
PG_USER = os.environ.get("BENCH_PG_USER", "postgres")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value.replace("_", "")) if value else default


def env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    return float(value) if value else default


@dataclass(frozen=True, slots=True)
class Scale:
    """How much data one benchmark database holds.

    ``subjects`` sets the rest unless overridden: as many credit-record entries and
    joint-punishment entries as subjects, a listing per 10 subjects (30 % effective), a
    commitment per 5 subjects (each with the credit check that backs it), and consents
    for every subject the load checks plus one per 10 subjects.
    """

    name: str
    subjects: int
    credit_records: int
    joint_punishment: int
    listings: int
    effective_listings: int
    commitments: int
    consents: int
    load_subjects: int

    @property
    def database(self) -> str:
        return f"zwfw_bench_{self.name}"

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def scale(name: str) -> Scale:
    """``small`` (10,000 subjects) or ``large`` (1,000,000), each count overridable:
    ``BENCH_<SCALE>_SUBJECTS``, ``…_CREDIT_RECORDS``, ``…_JOINT_PUNISHMENT``,
    ``…_LISTINGS``, ``…_EFFECTIVE_LISTINGS``, ``…_COMMITMENTS``, ``…_CONSENTS``,
    ``…_LOAD_SUBJECTS``."""
    defaults = {"small": 10_000, "large": 1_000_000}
    if name not in defaults:
        raise SystemExit(f"unknown scale {name!r}; known: small, large")
    prefix = f"BENCH_{name.upper()}_"
    subjects = env_int(prefix + "SUBJECTS", defaults[name])
    listings = env_int(prefix + "LISTINGS", subjects // 10)
    load_subjects = env_int(prefix + "LOAD_SUBJECTS", min(5_000, subjects // 2))
    return Scale(
        name=name,
        subjects=subjects,
        credit_records=env_int(prefix + "CREDIT_RECORDS", subjects),
        joint_punishment=env_int(prefix + "JOINT_PUNISHMENT", subjects),
        listings=listings,
        effective_listings=env_int(prefix + "EFFECTIVE_LISTINGS", listings * 3 // 10),
        commitments=env_int(prefix + "COMMITMENTS", subjects // 5),
        consents=env_int(prefix + "CONSENTS", subjects // 10),
        load_subjects=load_subjects,
    )


def database_url(database: str, driver: str = "postgresql+asyncpg") -> str:
    return f"{driver}://{PG_USER}@{PG_HOST}:{PG_PORT}/{database}"


def dsn(database: str) -> str:
    """A plain libpq/asyncpg DSN."""
    return database_url(database, "postgresql")


def jwt_secret() -> str:
    return os.environ.get("ZWFW_JWT_SECRET") or DEFAULT_JWT_SECRET


def _setting_known(name: str) -> bool:
    from app.core.config import Settings

    return name in Settings.model_fields


def key_settings() -> dict[str, str]:
    """The keys of personal data at rest, when the service has them (the environment's,
    else the development keys)."""
    keys = {}
    for name, default in (
        ("data_key", DEFAULT_DATA_KEY),
        ("blind_index_key", DEFAULT_BLIND_INDEX_KEY),
    ):
        if _setting_known(name):
            variable = "ZWFW_" + name.upper()
            keys[variable] = os.environ.get(variable) or default
    return keys


def service_env(database: str, **extra: str) -> dict[str, str]:
    """The environment a service process (or ``zwfw-credit``) runs with. This tree comes
    first on the import path: the ``zwfw-credit`` script of a shared virtualenv would
    otherwise import the checkout it was installed from."""
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith("ZWFW_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env["ZWFW_DATABASE_URL"] = database_url(database)
    env["ZWFW_JWT_SECRET"] = jwt_secret()
    env.update(key_settings())
    for key in ("ZWFW_PROFILE", "ZWFW_TIMEZONE"):
        if key in os.environ:
            env[key] = os.environ[key]
    env.update(extra)
    return env


def configure_in_process(database: str) -> None:
    """Set this process up as the service would be (settings, keyring) for ``database``."""
    wanted = service_env(database)
    for name in [k for k in os.environ if k.upper().startswith("ZWFW_") and k not in wanted]:
        del os.environ[name]
    os.environ.update(wanted)
    from app.core.config import load_settings

    settings = load_settings()
    if hasattr(settings, "keyring") and key_settings():
        from app.privacy import crypto

        crypto.configure(settings.keyring())


def say(message: str) -> None:
    """Progress on stderr (stdout is kept for results)."""
    sys.stderr.write(message + "\n")
    sys.stderr.flush()
