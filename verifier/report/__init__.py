"""Findings -> reports/index.md, reports/<article>.md and reports/results.json."""
