"""verifier: check that footnoted claims say what their cited sources say."""

__version__ = "0.1.0"
