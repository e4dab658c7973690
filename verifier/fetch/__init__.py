"""URL -> Capture | FetchFailure: the only package that touches the network.

INTERFACE:

    class Fetcher:
        def __init__(self, settings: FetchSettings, archive: Archive) -> None
        def fetch_all(self, urls: Sequence[str],
                      progress: Callable[[str, SourceResult], None] | None = None,
                      ) -> dict[str, SourceResult]
            Fetches concurrently every URL not yet in the archive, archives each response
            (WARC) with its extracted text, and returns a result for every URL given
            (archived ones come from the archive with via="archive").
"""
