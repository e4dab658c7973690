"""MediaWiki XML dumps as input: pages streamed, claims and results in JSONL shards.

INTERFACE:

    pages.article_pages(path, stats=None) -> Iterator[DumpPage]
        The article pages of a .xml or .xml.bz2 export, streamed (redirects and other
        namespaces skipped); InputError on a file that is not one.
    shards.ShardWriter / shards.read_records
        JSONL shards written under a temporary name and renamed when complete, listed in
        a manifest.json.
    passes.extract_dump(dump, folder) -> ExtractSummary
    passes.check_dump(folder, verify, policy) -> CheckSummary
        The claims of every page into `folder`'s claim shards; then each shard's claims
        checked, results into result shards, a summary for reports/index.md.
"""
