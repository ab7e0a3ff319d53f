"""The vetted clause library, shipped inside the package as assistant.resources.clauses (see pyproject.toml)."""
