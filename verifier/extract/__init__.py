"""Article -> footnoted claims. One module per input format; `extract_article` dispatches.

INTERFACE (owned by the extraction stage):

    extract_article(path: Path, display_path: str) -> Extraction
        Reads the file (raises errors.ArticleError with path/line on unreadable or
        undecodable input), picks the format from the suffix (.txt/.text -> text,
        .md/.markdown -> markdown, .html/.htm -> html; unknown suffix -> sniff), and returns
        the claims with `article=display_path`. No footnotes -> no claims, no error.
        Relative-path links in footnotes ([t](sources/x.html)) are returned as written;
        the pipeline resolves them against the article's folder.
"""
