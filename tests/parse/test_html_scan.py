"""The HTML tokenizer: exact ranges for tags, attributes and values, and no failure on
broken markup."""

from __future__ import annotations

import html

from hypothesis import given, settings
from hypothesis import strategies as st

from kaios_lsp.parse.html import scan


def test_attribute_ranges_cover_name_and_value_exactly():
    text = "<a HREF=\"x.html\" data-x='1 2' hidden title=plain>go</a>"
    doc = scan(text)
    tag = doc.first("a")
    assert tag is not None and (tag.start, tag.end) == (0, text.index(">") + 1)
    href, data, hidden, title = tag.attrs
    assert href.name == "href" and text[href.start : href.end] == 'HREF="x.html"'
    assert text[href.value_start : href.value_end] == "x.html" and href.quote == '"'
    assert text[data.start : data.end] == "data-x='1 2'" and data.value == "1 2"
    assert hidden.value is None and text[hidden.start : hidden.end] == "hidden"
    assert text[title.start : title.end] == "title=plain" and title.quote == ""
    assert [t.name for t in doc.tags] == ["a", "a"] and doc.tags[1].closing


def test_values_are_decoded_but_ranges_stay_on_the_source():
    text = '<button onclick="a &amp;&amp; b(&quot;&#x1F3A7;&quot;)">'
    attr = scan(text).first("button").attr("onclick")
    assert attr.value == 'a && b("🎧")'
    assert text[attr.value_start : attr.value_end] == "a &amp;&amp; b(&quot;&#x1F3A7;&quot;)"


def test_the_first_of_repeated_attributes_wins():
    tag = scan('<img src="a.png" SRC="b.png">').first("img")
    assert tag.value("src") == "a.png"
    assert len(tag.attrs) == 2  # both kept, so a rule can still point at the second


def test_script_content_is_raw_text_up_to_its_own_end_tag():
    text = '<script>if (a < b) { x = "</div><p onclick=1>"; }</scriptx></SCRIPT >after<p>'
    doc = scan(text)
    script = doc.first("script")
    assert text[script.content_start : script.content_end] == (
        'if (a < b) { x = "</div><p onclick=1>"; }</scriptx>'
    )
    assert text[script.close_start : script.close_end] == "</SCRIPT >"
    assert [t.name for t in doc.elements()] == ["script", "p"]  # nothing from inside the script


def test_comments_doctype_and_lone_less_than_are_not_tags():
    text = "<!DOCTYPE html><!-- <script>x()</script> -->a < b <3 <?xml?><p>"
    doc = scan(text)
    assert [t.name for t in doc.elements()] == ["p"]
    assert len(doc.comments) == 1 and doc.comments[0].text == " <script>x()</script> "


def test_textarea_and_title_hold_text_not_tags():
    doc = scan("<title><b>t</b></title><textarea><script>x</script></textarea><i>")
    assert [t.name for t in doc.elements()] == ["title", "textarea", "i"]


def test_broken_markup_ends_at_the_end_of_the_text():
    for text in ('<a href="unclosed', "<script>never closed", "<!-- open", "<div class=x", "<"):
        doc = scan(text)
        for tag in doc.tags:
            assert 0 <= tag.start < tag.end <= len(text)
    script = scan("<script>never closed").first("script")
    assert script.content_end == len("<script>never closed") and script.close_end == -1
    assert scan('<a href="unclosed').first("a").value("href") == "unclosed"


def test_self_closing_script_still_opens_raw_text():
    # A browser ignores the "/" on <script/>: what follows is script text.
    doc = scan("<script src=a.js /><p onclick=x></script><i>")
    assert [t.name for t in doc.elements()] == ["script", "i"]


def test_positions_with_astral_characters_are_code_point_offsets():
    text = '<p title="🎧中">🎧</p><img src="😀.png">'
    img = scan(text).first("img")
    assert text[img.attr("src").value_start : img.attr("src").value_end] == "😀.png"


HTML_ISH = st.lists(
    st.sampled_from([*"<>/=\"' !-abcdiprstx\n\t&;#🎧中", "script", "on", "src", "<!--", "-->"]),
    max_size=80,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(HTML_ISH)
def test_any_text_scans_to_tokens_inside_it(text: str):
    doc = scan(text)
    previous = 0
    for tag in doc.tags:
        assert previous <= tag.start < tag.end <= len(text)
        assert text[tag.start] == "<"
        previous = tag.start
        for attr in tag.attrs:
            assert tag.start < attr.start <= attr.end <= tag.end
            if attr.value is not None:
                raw = text[attr.value_start : attr.value_end]
                assert attr.value == html.unescape(raw)
        if tag.content_start >= 0:
            assert tag.end <= tag.content_start <= tag.content_end <= len(text)
    for comment in doc.comments:
        assert 0 <= comment.start < comment.end <= len(text)
