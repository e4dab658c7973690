"""Bytes of a source -> the plain main text the matcher sees; sentence splitting.

INTERFACE:

    main_text(body: bytes, content_type: str | None, url: str | None = None) -> PageText
        HTML (main-text extraction), PDF, plain text. Raises text.UnreadableContent
        (carrying a model.UnavailableReason and detail) for binary / not-text content.

    sentences.split_sentences(text: str) -> list[tuple[int, int]]
        Character spans of sentences in `text`.
"""
