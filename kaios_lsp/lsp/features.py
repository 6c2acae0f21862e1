"""Manifest editing help: completion, hover, document links and the outline (symbols),
each shaped by what the client says it can show."""

from __future__ import annotations

from lsprotocol import types

from kaios_lsp.lsp.convert import (
    to_completion_item,
    to_document_link,
    to_document_symbol,
    to_range,
    to_symbol_information,
)
from kaios_lsp.lsp.session import KaiosLanguageServer
from kaios_lsp.services.completion import Request as CompletionRequest
from kaios_lsp.services.completion import complete
from kaios_lsp.services.hover import manifest_hover
from kaios_lsp.services.outline import app_model_symbol, document_links, outline

# -- completion ------------------------------------------------------------------------


def completion(
    ls: KaiosLanguageServer, params: types.CompletionParams
) -> types.CompletionList | None:
    document = ls.documents.get(params.text_document.uri)
    manifest = ls.manifest_of(document) if document is not None else None
    if document is None or manifest is None:
        return None
    offset = document.index.offset(params.position.line, params.position.character, ls.encoding)
    request = CompletionRequest(
        manifest, offset, ls.files(), ls.config_for(document.path), _snippets(ls)
    )
    markdown = _completion_markdown(ls)
    deprecated_tag = _completion_deprecated_tag(ls)
    items = [
        to_completion_item(i, document.index, ls.encoding, markdown, deprecated_tag)
        for i in complete(request)
    ]
    return types.CompletionList(is_incomplete=False, items=items)


def _completion_capabilities(ls: KaiosLanguageServer) -> types.ClientCompletionItemOptions | None:
    text_document = ls.client_capabilities.text_document
    completion = text_document.completion if text_document else None
    return completion.completion_item if completion else None


def _snippets(ls: KaiosLanguageServer) -> bool:
    item = _completion_capabilities(ls)
    return bool(item and item.snippet_support)


def _completion_markdown(ls: KaiosLanguageServer) -> bool:
    item = _completion_capabilities(ls)
    formats = item.documentation_format if item else None
    return not formats or types.MarkupKind.Markdown in formats


def _completion_deprecated_tag(ls: KaiosLanguageServer) -> bool:
    item = _completion_capabilities(ls)
    tags = item.tag_support.value_set if item and item.tag_support else []
    return types.CompletionItemTag.Deprecated in tags


# -- hover -------------------------------------------------------------------------------


def hover(ls: KaiosLanguageServer, params: types.HoverParams) -> types.Hover | None:
    document = ls.documents.get(params.text_document.uri)
    if document is None:
        return None
    manifest = ls.manifest_of(document)
    if manifest is None or manifest.text != document.text:
        return None
    offset = document.index.offset(params.position.line, params.position.character, ls.encoding)
    found = manifest_hover(manifest, offset, ls.config_for(document.path), ls.files())
    if found is None:
        return None
    return types.Hover(
        contents=types.MarkupContent(kind=_markup_kind(ls), value=found.markdown),
        range=to_range(document.index, found.start, found.end, ls.encoding),
    )


def _markup_kind(ls: KaiosLanguageServer) -> types.MarkupKind:
    hover = (
        ls.client_capabilities.text_document.hover if ls.client_capabilities.text_document else None
    )
    formats = hover.content_format if hover else None
    if formats and types.MarkupKind.Markdown not in formats:
        return types.MarkupKind.PlainText
    return types.MarkupKind.Markdown


# -- links, symbols ------------------------------------------------------------------------


def links(ls: KaiosLanguageServer, params: types.DocumentLinkParams) -> list[types.DocumentLink]:
    document = ls.documents.get(params.text_document.uri)
    manifest = ls.manifest_of(document) if document is not None else None
    if document is None or manifest is None:
        return []
    text_document = ls.client_capabilities.text_document
    caps = text_document.document_link if text_document else None
    tooltips = bool(caps and caps.tooltip_support)
    return [
        to_document_link(link, document.index, ls.encoding, tooltips)
        for link in document_links(manifest, ls.files())
    ]


def symbols(ls: KaiosLanguageServer, params: types.DocumentSymbolParams) -> list:
    document = ls.documents.get(params.text_document.uri)
    manifest = ls.manifest_of(document) if document is not None else None
    if document is None or manifest is None:
        return []
    config = ls.config_for(document.path)
    column = manifest.permission_column(config.distribution)
    symbols = outline(manifest, column)
    model_symbol = app_model_symbol(manifest, ls.files(), config.exclude)
    if model_symbol is not None:
        symbols.append(model_symbol)
    text_document = ls.client_capabilities.text_document
    caps = text_document.document_symbol if text_document else None
    if caps and caps.hierarchical_document_symbol_support:
        return [to_document_symbol(s, document.index, ls.encoding) for s in symbols]
    return to_symbol_information(symbols, document.index, ls.encoding, document.uri)
