"""Data that ships inside the package: the prompts (top-level ``prompts/``) and the vetted clause library
(``corpus/clauses/``), mapped here by pyproject.toml's package-dir and read with importlib.resources, so
an installed wheel finds them as a checkout does."""
