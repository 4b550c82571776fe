"""What every settings module starts from: the environment reader and the project's folders."""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent
SITE_DIR = BASE_DIR / "site"

env = environ.Env()
