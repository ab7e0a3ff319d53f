"""The prompt templates, shipped inside the package as assistant.resources.prompts (see pyproject.toml)."""
