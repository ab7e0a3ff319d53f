"""Requirement cards drafted from the vetted clause library."""
