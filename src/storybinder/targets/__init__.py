"""Device targets: transforms of a finished EPUB for one kind of reader.

`kobo` (kepub), `kindle` (Send-to-Kindle rules and size), `azw3` (calibre's
ebook-convert, when installed). Each device's quirks live in its own module,
each with a comment naming the reader that needs it.
"""

TARGETS = ("epub", "kobo", "kindle", "azw3")
