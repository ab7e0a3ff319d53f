"""The command line: `python -m assistant …`."""
