"""Results kept while the files they read answer the same (kaios_lsp/app/dependent.py)."""

from __future__ import annotations

import os
from pathlib import Path

from kaios_lsp.app import dependent
from kaios_lsp.app.dependent import OneLook, RecordingFiles, WhileUnchanged
from kaios_lsp.app.files import CachedDiskFiles, DiskFiles, OverlayFiles
from tests.support.files import TextsWithoutStamps


def _scripts_text(folder: Path, files) -> str:
    """What a scan of the folder's scripts reads: every .js file's text, in order."""
    names = sorted(n for n in files.list_dir(str(folder)) or [] if n.endswith(".js"))
    return "|".join(files.read_text(str(folder / n)) or "" for n in names)


def _counting(compute):
    calls = []

    def counted(view):
        calls.append(view)
        return compute(view)

    return counted, calls


def test_kept_while_the_files_answer_the_same(tmp_path: Path):
    (tmp_path / "a.js").write_text("navigator.mozContacts", "utf-8")
    cache: WhileUnchanged[str] = WhileUnchanged()
    compute, calls = _counting(lambda view: _scripts_text(tmp_path, view))
    first = cache.get(DiskFiles(), "key", compute)
    again = cache.get(DiskFiles(), "key", compute)
    assert first == again == "navigator.mozContacts"
    assert len(calls) == 1


def test_a_script_changed_on_disk_is_read_again(tmp_path: Path):
    script = tmp_path / "a.js"
    script.write_text("navigator.mozContacts", "utf-8")
    cache: WhileUnchanged[str] = WhileUnchanged()
    compute, calls = _counting(lambda view: _scripts_text(tmp_path, view))
    cache.get(DiskFiles(), "key", compute)
    script.write_text("navigator.mozAlarms", "utf-8")  # another size
    assert cache.get(DiskFiles(), "key", compute) == "navigator.mozAlarms"
    # the same size, a later modification time
    script.write_text("navigator.mozAlarmz", "utf-8")
    stat = script.stat()
    os.utime(script, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert cache.get(DiskFiles(), "key", compute) == "navigator.mozAlarmz"
    assert len(calls) == 3


def test_a_new_file_in_a_listed_folder_is_read(tmp_path: Path):
    (tmp_path / "a.js").write_text("one", "utf-8")
    cache: WhileUnchanged[str] = WhileUnchanged()
    compute, _ = _counting(lambda view: _scripts_text(tmp_path, view))
    assert cache.get(DiskFiles(), "key", compute) == "one"
    (tmp_path / "b.js").write_text("two", "utf-8")
    assert cache.get(DiskFiles(), "key", compute) == "one|two"


def test_an_open_document_edited_in_the_editor_is_read_again(tmp_path: Path):
    script = tmp_path / "a.js"
    script.write_text("navigator.mozContacts", "utf-8")
    cache: WhileUnchanged[str] = WhileUnchanged()
    compute, calls = _counting(lambda view: _scripts_text(tmp_path, view))
    path = os.path.normpath(str(script))
    assert cache.get(OverlayFiles({path: "v1 mozAlarms"}), "key", compute) == "v1 mozAlarms"
    assert cache.get(OverlayFiles({path: "v1 mozAlarms"}), "key", compute) == "v1 mozAlarms"
    assert cache.get(OverlayFiles({path: "v2 mozAlarms"}), "key", compute) == "v2 mozAlarms"
    # closed without saving: the disk's text again
    assert cache.get(OverlayFiles({}), "key", compute) == "navigator.mozContacts"
    assert len(calls) == 3


def test_another_key_is_another_result(tmp_path: Path):
    (tmp_path / "a.js").write_text("text", "utf-8")
    cache: WhileUnchanged[str] = WhileUnchanged()
    assert cache.get(DiskFiles(), "upper", lambda v: _scripts_text(tmp_path, v).upper()) == "TEXT"
    assert cache.get(DiskFiles(), "lower", lambda v: _scripts_text(tmp_path, v)) == "text"


def test_fits_says_when_a_kept_result_is_not_for_this_call(tmp_path: Path):
    cache: WhileUnchanged[int] = WhileUnchanged()
    assert cache.get(DiskFiles(), "key", lambda view: 1) == 1
    assert cache.get(DiskFiles(), "key", lambda view: 2, fits=lambda kept: kept == 1) == 1
    assert cache.get(DiskFiles(), "key", lambda view: 3, fits=lambda kept: kept == 3) == 3


def test_an_inner_result_makes_the_outer_one_depend_on_its_files(tmp_path: Path):
    script = tmp_path / "a.js"
    script.write_text("first", "utf-8")
    inner: WhileUnchanged[str] = WhileUnchanged()
    outer: WhileUnchanged[str] = WhileUnchanged()

    def outer_compute(view) -> str:
        return "outer:" + inner.get(view, "inner", lambda v: _scripts_text(tmp_path, v))

    inner.get(DiskFiles(), "inner", lambda v: _scripts_text(tmp_path, v))  # kept first
    assert outer.get(DiskFiles(), "outer", outer_compute) == "outer:first"
    script.write_text("second!", "utf-8")
    assert outer.get(DiskFiles(), "outer", outer_compute) == "outer:second!"


def test_a_text_read_without_a_stamp_is_never_kept():
    texts = {"/app/a.js": "one"}
    cache: WhileUnchanged[str | None] = WhileUnchanged()
    view = TextsWithoutStamps(texts)
    assert cache.get(view, "key", lambda v: v.read_text("/app/a.js")) == "one"  # type: ignore[arg-type]
    texts["/app/a.js"] = "two"
    assert cache.get(view, "key", lambda v: v.read_text("/app/a.js")) == "two"  # type: ignore[arg-type]


def test_recording_notes_each_question_with_its_answer(tmp_path: Path):
    (tmp_path / "a.js").write_text("x", "utf-8")
    recording = RecordingFiles(DiskFiles())
    recording.read_text(str(tmp_path / "a.js"))
    recording.exists(str(tmp_path / "b.js"))
    recording.list_dir(str(tmp_path))
    answers = recording.answers
    assert answers["exists"][str(tmp_path / "b.js")] is False
    assert answers["list_dir"][str(tmp_path)] == ("a.js",)
    assert answers["stamp"][str(tmp_path / "a.js")] == DiskFiles().stamp(str(tmp_path / "a.js"))


def test_one_look_asks_each_question_once(tmp_path: Path):
    script = tmp_path / "a.js"
    script.write_text("one", "utf-8")
    view = OneLook(DiskFiles())
    assert view.read_text(str(script)) == "one"
    script.write_text("two", "utf-8")
    assert view.read_text(str(script)) == "one"  # one analysis, one answer
    listing = view.list_dir(str(tmp_path))
    assert listing == ["a.js"]
    listing.append("changed by a caller")
    assert view.list_dir(str(tmp_path)) == ["a.js"]
    assert OneLook(DiskFiles()).read_text(str(script)) == "two"


def test_a_view_that_cannot_stamp_never_gets_a_result_kept_with_stamps(tmp_path: Path):
    script = tmp_path / "a.js"
    script.write_text("disk", "utf-8")
    cache: WhileUnchanged[str | None] = WhileUnchanged()
    assert cache.get(DiskFiles(), "key", lambda v: v.read_text(str(script))) == "disk"
    other = TextsWithoutStamps({str(script): "elsewhere"})
    assert cache.get(other, "key", lambda v: v.read_text(str(script))) == "elsewhere"  # type: ignore[arg-type]


def test_one_look_keeps_texts_up_to_its_budget_and_reads_bigger_ones_again(
    tmp_path: Path, monkeypatch
):
    # a manifest's analysis reads every script of its app: an 8 MB app's texts must not
    # all be held at once
    monkeypatch.setattr(dependent, "KEPT_TEXT_CHARS", 10)
    small, big = tmp_path / "small.js", tmp_path / "big.js"
    small.write_text("one", "utf-8")
    big.write_text("x" * 20, "utf-8")
    view = OneLook(DiskFiles())
    assert view.read_text(str(small)) == "one"
    assert view.read_text(str(big)) == "x" * 20
    small.write_text("two", "utf-8")
    big.write_text("y" * 20, "utf-8")
    assert view.read_text(str(small)) == "one"  # kept
    assert view.read_text(str(big)) == "y" * 20  # over the budget: read again


def test_a_manifest_version_s_entry_points_are_found_once_and_again_after_an_edit(
    tmp_path: Path, monkeypatch
):
    from kaios_lsp.app import model as model_module
    from kaios_lsp.app.manifest import load_manifest, manifest_kind
    from kaios_lsp.incremental import patch_string_edit

    (tmp_path / "index.html").write_text("<p>", "utf-8")
    (tmp_path / "other.html").write_text("<p>", "utf-8")
    path = str(tmp_path / "manifest.webapp")
    text = '{"name": "Tides", "launch_path": "/index.html"}'
    manifest = load_manifest(text, path, manifest_kind(path, text, "auto"))
    walks: list[str] = []
    entries = model_module._entries
    monkeypatch.setattr(
        model_module, "_entries", lambda m, root: walks.append(m.text) or entries(m, root)
    )
    files = DiskFiles()
    first = model_module.build_model(manifest, files, reach=False)
    again = model_module.build_model(manifest, files)  # (with reach: another model)
    assert first is not None and again is not None
    assert first.entries == again.entries == [str(tmp_path / "index.html")]
    assert walks == [text]  # once for this version
    at = text.index("index")
    edited = text[:at] + "other" + text[at + len("index") :]
    patched = patch_string_edit(manifest, edited, at, at + len("index"), at + len("other"))
    assert patched is not None
    model = model_module.build_model(patched, files, reach=False)
    assert model is not None and model.entries == [str(tmp_path / "other.html")]
    assert walks == [text, edited]


class _Counted(CachedDiskFiles):
    """The disk, remembered, counting the existence questions that reach the disk."""

    def __init__(self, ttl: float = 2.0) -> None:
        super().__init__(ttl)
        self.asked: list[str] = []

    def exists(self, path: str) -> bool:
        self.asked.append(path)
        return super().exists(path)


def test_within_an_epoch_only_the_stamps_are_asked_again(tmp_path: Path, monkeypatch):
    """Existence, folder and listing answers stay the same while the remembered disk's
    epoch does: a kept result is checked by its stamps only. A client's file event
    (forget), the time-to-live running out, or a document opened starts a new epoch, and
    every answer is asked again."""
    icon = tmp_path / "icon.png"
    script = tmp_path / "app.js"
    script.write_text("a", "utf-8")
    disk = _Counted()

    class Texts(dict):  # the open documents, as the server's OpenTexts tells them
        opened = 0

    texts = Texts()

    def view():
        return OneLook(OverlayFiles(texts, disk))

    recording = RecordingFiles(view())
    assert recording.exists(str(icon)) is False
    recording.read_text(str(script))
    answers = recording.answers
    disk.asked.clear()
    icon.write_bytes(b"png")  # (no event: not seen before the epoch ends)
    assert dependent.answers_unchanged(view(), answers)
    assert disk.asked == []
    script.write_text("changed", "utf-8")  # a stamp is always asked
    assert not dependent.answers_unchanged(view(), answers)
    script.write_text("a", "utf-8")
    os.utime(script, ns=(os.stat(script).st_atime_ns, answers["stamp"][str(script)][0]))
    assert dependent.answers_unchanged(view(), answers)

    disk.forget()  # a client's file event
    assert not dependent.answers_unchanged(view(), answers)
    assert disk.asked == [str(icon)]

    recording = RecordingFiles(view())
    recording.exists(str(icon))
    answers = recording.answers
    texts.opened += 1  # a document opened: an unsaved file exists
    texts[os.path.normpath(str(tmp_path / "new.html"))] = ""
    disk.asked.clear()
    assert dependent.answers_unchanged(view(), answers)  # (it is not one asked about)
    assert disk.asked == [str(icon)]

    now = [1000.0]
    monkeypatch.setattr("kaios_lsp.app.files.time.monotonic", lambda: now[0])
    disk = _Counted(ttl=2.0)
    recording = RecordingFiles(view())
    recording.exists(str(icon))
    answers = recording.answers
    disk.asked.clear()
    now[0] += 1.9
    assert dependent.answers_unchanged(view(), answers) and disk.asked == []
    now[0] += 0.2  # the time to live ran out
    assert dependent.answers_unchanged(view(), answers) and disk.asked == [str(icon)]
