"""The package document against the zip: every declared file present, every file
declared, a spine to read, and the navigation files readers look for."""

from __future__ import annotations

from .epub_archive import NCX_TYPE, EpubPackage
from .findings import Finding, error, info, warning


def check_package(package: EpubPackage) -> list[Finding]:
    return _manifest_vs_zip(package) + _spine(package) + _navigation(package) + _encryption(package)


def _encryption(package: EpubPackage) -> list[Finding]:
    """Obfuscated fonts are routine; anything else encrypted is DRM and cannot be checked."""
    fonts = {i.path for i in package.manifest if i.media_type.startswith(("font/", "application/font", "application/vnd.ms-opentype", "application/x-font"))}
    locked = sorted(package.encrypted - fonts)
    if not locked:
        return []
    return [info("package.encrypted", "META-INF/encryption.xml", f"{len(locked)} file(s) are encrypted (DRM), e.g. {locked[0]}; their content was not checked")]


def _manifest_vs_zip(package: EpubPackage) -> list[Finding]:
    out = []
    declared = set()
    for item in package.manifest:
        if item.remote:
            continue
        declared.add(item.path)
        if not package.has(item.path):
            out.append(error("package.missing-file", item.path, f"the manifest declares {item.href} (id {item.id!r}) but the file is not in the zip; add the file or remove the item"))
    for name in package.names:
        if name == "mimetype" or name.startswith("META-INF/") or name == package.opf_path or name in declared:
            continue
        out.append(warning("package.unlisted-file", name, "this file is in the zip but not in the manifest; declare it in the package document or delete it (Send-to-Kindle and EPUBCheck complain)"))
    return out


def _spine(package: EpubPackage) -> list[Finding]:
    if not package.spine:
        return [error("package.spine-empty", package.opf_path, "the spine lists no documents, so there is nothing to read; add <itemref idref=...> for each chapter")]
    return [
        error("package.spine-item", package.opf_path, f"the spine refers to {idref!r}, which is not a manifest item id")
        for idref in package.spine if package.item_by_id(idref) is None
    ]


def _navigation(package: EpubPackage) -> list[Finding]:
    out = []
    if package.epub3 and not any("nav" in i.properties for i in package.manifest):
        out.append(error("package.nav-missing", package.opf_path, 'EPUB 3 needs a navigation document: a manifest item with properties="nav"'))
    if not any(i.media_type == NCX_TYPE for i in package.manifest):
        message = "there is no NCX table of contents (toc.ncx); older readers (EPUB 2, some Kobo and Adobe-based devices) show no contents without one"
        out.append((warning if package.epub3 else error)("package.ncx-missing", package.opf_path, message))
    elif package.spine_toc and package.item_by_id(package.spine_toc) is None:
        out.append(error("package.ncx-missing", package.opf_path, f"<spine toc={package.spine_toc!r}> names no manifest item; point it at the NCX item's id"))
    return out
