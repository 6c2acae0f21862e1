"""A tolerant HTML tokenizer that keeps the exact range of every tag, attribute and value.

The standard library's ``html.parser`` only reports where a tag starts; rules need to
underline one attribute or its value and to edit them. This scanner follows the HTML
tokenizer closely enough for that — attributes with and without quotes, duplicate
attributes (the first wins), comments, doctypes, raw-text elements (``script``,
``style``) and escapable raw text (``textarea``, ``title``) — and never fails: broken
markup gives the tokens a browser would also see, or text.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

RAW_TEXT = {"script", "style", "xmp", "iframe", "noembed", "noframes"}
ESCAPABLE_RAW_TEXT = {"textarea", "title"}

_TAG_NAME = re.compile(r"[A-Za-z][^\t\n\f\r />]*")
_SPACE = re.compile(r"[\t\n\f\r ]*")
_ATTR_NAME = re.compile(r"[^\t\n\f\r />][^\t\n\f\r />=]*")
_UNQUOTED = re.compile(r"[^\t\n\f\r >]*")


@dataclass(slots=True)
class Attr:
    name: str  # lowercased
    name_start: int
    name_end: int
    value: str | None  # decoded; None for a bare attribute
    value_start: int = -1  # the value's text, inside any quotes
    value_end: int = -1
    quote: str = ""
    unterminated: bool = False  # a quoted value the text ends inside

    @property
    def start(self) -> int:
        return self.name_start

    @property
    def end(self) -> int:
        if self.value is None:
            return self.name_end
        return self.value_end + (1 if self.quote and not self.unterminated else 0)


@dataclass(slots=True)
class Tag:
    name: str  # lowercased
    start: int
    end: int  # after '>' (or where the broken tag stops)
    closing: bool = False
    self_closing: bool = False
    attrs: list[Attr] = field(default_factory=list)
    content_start: int = -1  # raw text of script/style/textarea/title
    content_end: int = -1
    close_start: int = -1  # the matching end tag, for raw-text elements
    close_end: int = -1

    def attr(self, name: str) -> Attr | None:
        """The attribute as a browser sees it: the first of duplicates."""
        for attr in self.attrs:
            if attr.name == name:
                return attr
        return None

    def has(self, name: str) -> bool:
        return self.attr(name) is not None

    def value(self, name: str) -> str | None:
        attr = self.attr(name)
        return attr.value if attr is not None else None

    @property
    def element_end(self) -> int:
        """End of the whole element for raw-text elements, else of the start tag."""
        return (
            self.close_end
            if self.close_end >= 0
            else (self.content_end if self.content_end >= 0 else self.end)
        )


@dataclass(slots=True)
class Comment:
    start: int
    end: int
    text: str


@dataclass
class HtmlDocument:
    text: str
    tags: list[Tag]  # start and end tags in document order
    comments: list[Comment]
    # Start tags by name and first end tag by name, built once: rules ask per finding.
    _starts: dict[str, list[Tag]] = field(default_factory=dict, repr=False)
    _first_end: dict[str, Tag] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        everything: list[Tag] = []
        for tag in self.tags:
            if tag.closing:
                self._first_end.setdefault(tag.name, tag)
            else:
                everything.append(tag)
                self._starts.setdefault(tag.name, []).append(tag)
        self._starts[""] = everything

    def elements(self, *names: str) -> list[Tag]:
        """Start tags (of these names), in document order. Do not modify the list."""
        if not names:
            return self._starts[""]
        if len(names) == 1:
            return self._starts.get(names[0], [])
        wanted = set(names)
        return [t for t in self._starts[""] if t.name in wanted]

    def first(self, name: str) -> Tag | None:
        found = self._starts.get(name)
        return found[0] if found else None

    def closing(self, name: str) -> Tag | None:
        return self._first_end.get(name)


def scan(text: str) -> HtmlDocument:
    tags: list[Tag] = []
    comments: list[Comment] = []
    length = len(text)
    pos = 0
    while True:
        lt = text.find("<", pos)
        if lt < 0 or lt + 1 >= length:
            break
        nxt = text[lt + 1]
        if text.startswith("<!--", lt):
            end = text.find("-->", lt + 4)
            stop = length if end < 0 else end + 3
            comments.append(Comment(lt, stop, text[lt + 4 : end if end >= 0 else length]))
            pos = stop
            continue
        if nxt in "!?":  # doctype, CDATA, processing instruction: a bogus comment
            end = text.find(">", lt + 2)
            pos = length if end < 0 else end + 1
            continue
        if nxt == "/":
            match = _TAG_NAME.match(text, lt + 2)
            if not match:
                end = text.find(">", lt + 2)
                pos = length if end < 0 else end + 1
                continue
            end = text.find(">", match.end())
            stop = length if end < 0 else end + 1
            tags.append(Tag(match.group().lower(), lt, stop, closing=True))
            pos = stop
            continue
        match = _TAG_NAME.match(text, lt + 1)
        if not match:
            pos = lt + 1  # a lone '<' is text
            continue
        tag = Tag(match.group().lower(), lt, length)
        pos = _attributes(text, match.end(), tag)
        tags.append(tag)
        if tag.name in RAW_TEXT or tag.name in ESCAPABLE_RAW_TEXT:
            if tag.self_closing and tag.name != "script":
                continue
            pos = _raw_text(text, pos, tag)
    return HtmlDocument(text, tags, comments)


def _attributes(text: str, pos: int, tag: Tag) -> int:
    length = len(text)
    while pos < length:
        pos = _SPACE.match(text, pos).end()  # type: ignore[union-attr]
        if pos >= length:
            break
        char = text[pos]
        if char == ">":
            tag.end = pos + 1
            return pos + 1
        if char == "/":
            if text.startswith("/>", pos):
                tag.self_closing = True
                tag.end = pos + 2
                return pos + 2
            pos += 1
            continue
        match = _ATTR_NAME.match(text, pos)
        if match is None:  # cannot happen for the characters left; stay safe
            pos += 1
            continue
        name = match.group().lower()
        attr = Attr(name, match.start(), match.end(), None)
        pos = _SPACE.match(text, match.end()).end()  # type: ignore[union-attr]
        if pos < length and text[pos] == "=":
            pos = _SPACE.match(text, pos + 1).end()  # type: ignore[union-attr]
            if pos < length and text[pos] in "\"'":
                quote = text[pos]
                close = text.find(quote, pos + 1)
                end = length if close < 0 else close
                attr.quote = quote
                attr.unterminated = close < 0
                attr.value_start, attr.value_end = pos + 1, end
                attr.value = html.unescape(text[pos + 1 : end])
                pos = end + 1 if close >= 0 else length
            else:
                value = _UNQUOTED.match(text, pos)
                attr.value_start, attr.value_end = value.start(), value.end()  # type: ignore[union-attr]
                attr.value = html.unescape(value.group())  # type: ignore[union-attr]
                pos = value.end()  # type: ignore[union-attr]
        tag.attrs.append(attr)  # repeats are kept; Tag.attr() answers with the first
    tag.end = length
    return length


def _raw_text(text: str, pos: int, tag: Tag) -> int:
    closer = re.compile(rf"</{re.escape(tag.name)}(?=[\t\n\f\r />])", re.IGNORECASE)
    match = closer.search(text, pos)
    tag.content_start = pos
    if match is None:
        tag.content_end = len(text)
        return len(text)
    tag.content_end = match.start()
    end = text.find(">", match.end())
    tag.close_start = match.start()
    tag.close_end = len(text) if end < 0 else end + 1
    return tag.close_end


def patch_scan(
    previous: HtmlDocument, text: str, start: int, old_end: int, new_end: int
) -> HtmlDocument | None:
    """The scan of ``text``, made from ``previous`` when one edit (``previous.text[start:
    old_end]`` became ``text[start:new_end]``) stays inside the content of one script or
    style element and does not close it: the tags before it are the same, those after it
    move. ``None`` when the page must be scanned again."""
    owner = None
    for tag in previous.tags:
        if tag.content_start < 0 or tag.close_start < 0:
            continue
        if tag.content_start <= start and old_end <= tag.content_end:
            owner = tag
            break
        if tag.content_start > old_end:
            break
    if owner is None:
        return None
    delta = (new_end - start) - (old_end - start)
    closer = re.compile(rf"</{re.escape(owner.name)}(?=[\t\n\f\r />])", re.IGNORECASE)
    match = closer.search(text, owner.content_start)
    if match is None or match.start() != owner.content_end + delta:
        return None  # the edit wrote (or broke) the end tag
    tags = []
    for tag in previous.tags:
        if tag.end <= owner.start:
            tags.append(tag)
        elif tag is owner:
            moved = _moved_tag(tag, delta)
            moved.start, moved.end, moved.content_start = tag.start, tag.end, tag.content_start
            moved.attrs = tag.attrs
            tags.append(moved)
        else:
            tags.append(_moved_tag(tag, delta))
    comments = [
        c if c.end <= start else Comment(c.start + delta, c.end + delta, c.text)
        for c in previous.comments
    ]
    return HtmlDocument(text, tags, comments)


def _moved_tag(tag: Tag, delta: int) -> Tag:
    def moved(offset: int) -> int:
        return offset + delta if offset >= 0 else offset

    return Tag(
        tag.name,
        tag.start + delta,
        tag.end + delta,
        tag.closing,
        tag.self_closing,
        [
            Attr(
                a.name,
                a.name_start + delta,
                a.name_end + delta,
                a.value,
                moved(a.value_start),
                moved(a.value_end),
                a.quote,
                a.unterminated,
            )
            for a in tag.attrs
        ],
        moved(tag.content_start),
        moved(tag.content_end),
        moved(tag.close_start),
        moved(tag.close_end),
    )
