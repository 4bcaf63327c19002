"""The law and the rules, bundled in the installed package (a wheel): `standards/`, `rules/`, `sources/`.

In a checkout this folder holds only this file: the build maps the checkout's top-level `standards/`,
`rules/` and `sources/` folders here (pyproject.toml, `[tool.setuptools.package-dir]`), so a wheel
carries them and `ereje` works from any directory after `pip install`. Which copy is used is decided
by `validator.law.origin` (a checkout's own folders win over these).
"""
