"""The production settings with two reference views added (bench/http.py's floors).

Only ROOT_URLCONF differs: bench.floor_urls is zwfw.urls with two paths appended, so every
measured endpoint resolves and runs exactly as deployed.
"""

from zwfw.settings import *  # noqa: F403

ROOT_URLCONF = "bench.floor_urls"
