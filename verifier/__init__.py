"""verifier: check that footnoted claims say what their cited sources say."""

__version__ = "0.1.0"

PROJECT_URL = "https://github.com/OWNER/verifier"
"""Where the project lives (pyproject.toml's Homepage): SARIF links its rules' help here."""
