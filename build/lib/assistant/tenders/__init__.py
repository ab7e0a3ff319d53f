"""The tender workspace, legal review, and export to Word, Markdown and JSON."""
