"""WARC files plus an index on disk: the only writer of captured sources.

INTERFACE:

    class Archive:
        def __init__(self, root: Path) -> None
        def lookup(self, url: str) -> Capture | None      # newest capture of url, via="archive"
        def store(...) -> Capture                          # write request/response/conversion
"""
