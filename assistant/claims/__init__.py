"""Claims: what a sentence asserts, and whether a passage says the same."""
