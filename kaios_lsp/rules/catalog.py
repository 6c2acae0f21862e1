"""Every rule kaios-lsp knows: id, name, title, default severity, explanation, example.

This is the one place rules are listed. ``kaios-lsp rules`` prints it, ``docs/rules.md``
is generated from it (a test keeps them in step), and the configuration accepts either a
rule's id (``KAI101``) or its name (``unknown-member``). Ids never change meaning.
"""

from __future__ import annotations

from dataclasses import dataclass

from kaios_lsp.findings import Severity

E, W, INFO, H = Severity.ERROR, Severity.WARNING, Severity.INFO, Severity.HINT


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    title: str
    severity: Severity
    category: str
    explanation: str
    bad: str
    good: str
    fixable: bool = False
    example_file: str = "manifest.webapp"
    example_settings: dict | None = None  # settings the examples need (shown in the docs)
    example_app: tuple[str, str] | None = (
        None  # (manifest file, text) of the app around the example
    )
    # what the quick fix does, or why no mechanical fix is possible (shown in the docs)
    fix_note: str = ""

    @property
    def anchor(self) -> str:
        return f"{self.id.lower()}-{self.name}"


_RULES = [
    # -- JSON syntax: what Gecko's strict JSON.parse rejects ------------------------------
    Rule(
        "KAI001",
        "json-syntax",
        "Manifest is not valid JSON",
        E,
        "JSON syntax",
        "KaiOS reads manifests with the strict JSON.parse. Any syntax error (a missing comma, "
        "colon or bracket, an unterminated string, an invalid number or escape, a raw control "
        "character, content after the end) makes the manifest unreadable and the install fails. "
        "The parser reports every error it can and keeps going, so half-typed manifests still "
        "get the other checks.",
        '{\n  "name": "Demo"\n  "type": "privileged"\n}',
        '{\n  "name": "Demo",\n  "type": "privileged"\n}',
        True,
        fix_note="Where the repair is certain (a missing closing quote, a number or literal written the JavaScript way, a missing bracket at the end) the fix writes it, preferred when unambiguous; otherwise the message names the token where parsing fails.",
    ),
    Rule(
        "KAI002",
        "json-comment",
        "Comments are not allowed in JSON",
        E,
        "JSON syntax",
        "JSON has no comments; JSON.parse rejects // and /* */, so the install fails.",
        '{\n  // the app name\n  "name": "Demo"\n}',
        '{\n  "name": "Demo"\n}',
        True,
        fix_note="Removes the comment (safe: JSON.parse never reads it).",
    ),
    Rule(
        "KAI003",
        "json-trailing-comma",
        "Trailing comma",
        E,
        "JSON syntax",
        "A comma before a closing } or ] is valid JavaScript but invalid JSON: the install fails.",
        '{\n  "name": "Demo",\n}',
        '{\n  "name": "Demo"\n}',
        True,
        fix_note="Removes the trailing comma (safe).",
    ),
    Rule(
        "KAI004",
        "json-quotes",
        "Strings and property names need double quotes",
        E,
        "JSON syntax",
        "Single-quoted strings and unquoted property names are JavaScript, not JSON: the install fails.",
        "{\n  name: 'Demo'\n}",
        '{\n  "name": "Demo"\n}',
        True,
        fix_note="Rewrites the string or property name with double quotes (safe when its text needs no change).",
    ),
    Rule(
        "KAI005",
        "json-bom",
        "Byte order mark at the start of the file",
        W,
        "JSON syntax",
        "JSON.parse rejects U+FEFF. Whether KaiOS strips a UTF-8 byte order mark before parsing "
        "depends on the code path and build (not confirmed from source), so this is a warning: "
        "save manifests as UTF-8 without BOM.",
        '\\ufeff{"name": "Demo"}',
        '{"name": "Demo"}',
        True,
        fix_note="Removes the byte order mark (safe).",
    ),
    Rule(
        "KAI006",
        "json-duplicate-key",
        "Duplicate key",
        W,
        "JSON syntax",
        "When a key appears twice in an object, JSON.parse keeps the last value and silently "
        "drops the earlier one.",
        '{\n  "type": "privileged",\n  "type": "web"\n}',
        '{\n  "type": "privileged"\n}',
        True,
        fix_note="Offers to remove the earlier duplicate, which JSON.parse drops anyway (not preferred: which of the two values was meant is the developer's call).",
    ),
    Rule(
        "KAI007",
        "manifest-not-object",
        "Manifest is not a JSON object",
        E,
        "JSON syntax",
        "A manifest must be one JSON object; an array, string or number cannot be installed.",
        '["Demo"]',
        '{"name": "Demo"}',
        fix_note="No mechanical fix: what the manifest should contain is the developer's to write (an object with at least name and launch_path/start_url).",
    ),
    Rule(
        "KAI008",
        "unreadable-file",
        "File cannot be read as UTF-8 text",
        E,
        "JSON syntax",
        "The file is not valid UTF-8, looks binary, or is larger than the configured limit "
        "(max_file_size). KaiOS decodes manifests as UTF-8; invalid bytes become U+FFFD or make "
        "the manifest unreadable. The rest of the file is checked as far as possible.",
        "(bytes 0xC3 0x28 in a string)",
        "(valid UTF-8)",
        fix_note="No mechanical fix: the bytes are not text kaios-lsp can rewrite safely; re-save the file as UTF-8 in the editor.",
    ),
    Rule(
        "KAI009",
        "json-too-deep",
        "Nesting too deep to validate",
        INFO,
        "JSON syntax",
        "No manifest member nests deeper than a few levels. Content below 128 levels is not "
        "validated (the parser itself has no depth limit).",
        '{"x": [[[[ ... 200 levels ... ]]]]}',
        '{"x": []}',
        fix_note="No fix: nothing is wrong on the phone; the nesting is only too deep for kaios-lsp to validate.",
    ),
    Rule(
        "KAI010",
        "unused-suppression",
        "Suppression comment that suppresses nothing",
        H,
        "JSON syntax",
        "A kaios-lsp-disable comment (// kaios-lsp-disable-next-line KAI402, /* kaios-lsp-disable KAI402 */, "
        "<!-- kaios-lsp-disable-next-line KAI301 --> and -line/-enable forms) names rules by id or name, or none "
        "for all. When it suppresses nothing (the problem was fixed, or the id is wrong), it only hides "
        "future problems: the fix removes it. Every script and page diagnostic has a quick fix that adds one.",
        "// kaios-lsp-disable-next-line KAI402\nvar ready = true;",
        '// kaios-lsp-disable-next-line KAI402\nsetTimeout("tick()", 1000);',
        True,
        example_file="app.js",
        example_app=("manifest.webapp", '{"name": "Demo", "type": "privileged"}'),
        fix_note="Removes the unused suppression (safe).",
    ),
    # -- schema: members, types and values -------------------------------------------------
    Rule(
        "KAI101",
        "unknown-member",
        "Unknown manifest member",
        W,
        "Manifest schema",
        "KaiOS ignores members it does not know, so a misspelled member silently does nothing. "
        "The message suggests the closest known member and the quick fix renames it.",
        '{"name": "Demo", "orientaton": "portrait"}',
        '{"name": "Demo", "orientation": "portrait"}',
        True,
        fix_note="Renames a misspelled member to the closest known one (preferred when it is the only candidate). A W3C member written inside b2g_features (orientation) is moved to the top level, where KaiOS 3.0 reads it (safe when the top level does not have it yet and the value is valid there).",
    ),
    Rule(
        "KAI102",
        "wrong-type",
        "Member has the wrong type",
        E,
        "Manifest schema",
        "A value of the wrong JSON type either makes the install fail (for members Gecko or the "
        "KaiOS 3 apps service checks, such as name, role, messages or the 3.0 string members) or "
        "is ignored. The message says which; the severity follows (error when the install fails, "
        "warning when it is ignored, information when what KaiOS does is not confirmed). The "
        "consequence is the wrong member's own: activity filters given as a list still register the "
        "handler but filter nothing (ActivitiesServiceFilter.jsm reads them by property name), a "
        'string returnValue counts as true. A permission given as a string ("systemXHR": "") is '
        "still granted when it takes no access level (the installer reads .access of the value, "
        "gets undefined, and that is all it needs; roytam1/gecko-kaios dom/apps/PermissionsTable.jsm "
        "expandPermissions): that is information; with access levels it is never granted (warning).",
        '{"name": "Demo", "cursor": "true"}',
        '{"name": "Demo", "cursor": true}',
        True,
        fix_note='Converts the value only when the intended value is plain, and only to a value the member accepts: 1, "true", "yes" become true and 0, "false", "no" become false; "12" becomes 12; a number becomes a string only for text members (name, description...) and patterned ones (version). A developer given as its name becomes {"name": ..., "url": ""} (url may be empty in the schema); a 2.5 icons list becomes an object keyed by the size each file name states; a locales list of one-language objects is merged into one object. No fix for other values (2, "maybe", a path given as a number).',
    ),
    Rule(
        "KAI103",
        "invalid-value",
        "Value is not one of the allowed values",
        E,
        "Manifest schema",
        "Enumerated members (orientation, display, chrome.statusbar, priority, disposition...) "
        "only take the listed values. The quick fix picks the closest valid value.",
        '{"name": "Demo", "orientation": "portrait-primery"}',
        '{"name": "Demo", "orientation": "portrait-primary"}',
        True,
        fix_note="Changes the value to the closest allowed one (preferred when one stands out), else offers the first allowed values to choose from.",
    ),
    Rule(
        "KAI104",
        "missing-member",
        "Required member is missing",
        E,
        "Manifest schema",
        "Members the phone needs: without name the install fails (2.5 checkManifest, 3.0 apps "
        "service); a serviceworker without script_url registers nothing. The range is the "
        "enclosing object's key or opening brace.",
        '{"description": "A demo"}',
        '{"name": "Demo", "description": "A demo"}',
        True,
        fix_note='Adds the member with a value that follows from the manifest (name from short_name or the default locale) or, where nothing says what it should be, a placeholder no rule flags, titled "(fill in)". Never preferred: the value is the developer\'s statement.',
    ),
    Rule(
        "KAI105",
        "store-requirement",
        "Member required by the KaiStore is missing",
        W,
        "Manifest schema",
        "The phone installs the app without these, but the KaiStore rejects the submission: "
        "version, description, icons (56x56 and 112x112) and developer for 2.5; id, description, "
        "lang, start_url, icons, theme_color, background_color and orientation for 3.0. Turn the "
        "rule off for apps that are not published in a store. Never reported for certified (2.5) or "
        "core (3.0) apps: only the phone maker pre-installs them, so no store reviews them (the "
        "store-only forms of KAI106, such as the version format, are skipped for them too).",
        '{"name": "Demo"}',
        '{"name": "Demo", "version": "1.0.0", "description": "...", "icons": {"56": "/icons/56.png", "112": "/icons/112.png"}, "developer": {"name": "Me", "url": "https://example.com"}}',
        True,
        fix_note='Adds the member with a value that follows from the manifest or the app folder (3.0 id = start_url, the W3C default identity; lang = b2g_features.default_locale; start_url = /index.html when it exists; icons from the app\'s 56 and 112 px PNG files; orientation portrait-primary for a phone; version 1.0.0), else a placeholder no rule flags titled "(fill in)". No icons fix when the app has no icon files to point at. Never preferred.',
    ),
    Rule(
        "KAI106",
        "invalid-format",
        "Value does not have the expected form",
        W,
        "Manifest schema",
        "Lengths, patterns and ranges: subtitle at most 40 characters, short_name at most 12 "
        "(3.0), version as dotted integers, theme_color as a hex colour, icon sizes like 56x56.",
        '{"name": "Demo", "version": "v1"}',
        '{"name": "Demo", "version": "1.0.0"}',
        fix_note="No mechanical fix: the right value (a version number, a locale tag, a store text under the limit) is the developer's choice; the message says the expected form.",
    ),
    # -- manifest rules beyond the schema --------------------------------------------------
    Rule(
        "KAI110",
        "app-type",
        "App type must be web, privileged or certified",
        E,
        "Manifest",
        'Gecko\'s getAppManifestStatus throws "Undetermined app manifest type" for any other '
        'type (including "hosted" and "trusted"), and the install fails. A missing type means web.',
        '{"name": "Demo", "type": "privilaged"}',
        '{"name": "Demo", "type": "privileged"}',
        True,
        fix_note="Changes the type to the closest valid value (preferred when one stands out).",
    ),
    Rule(
        "KAI111",
        "absolute-url",
        "Path must be relative",
        E,
        "Manifest",
        "launch_path, entry_points.*.launch_path, activities.*.href and message hrefs must be "
        "paths inside the app: Gecko's checkManifest (and the KaiOS 3 apps service for "
        "b2g_features) reject absolute URLs and the install fails. The fix keeps the path. A "
        "protocol-relative path (//cdn.example.com/x.html) is absolute too: isAbsoluteURI resolves "
        "it against http://foo and http://bar and the host changes, so checkManifest rejects it "
        "(roytam1/gecko-kaios dom/apps/AppsUtils.jsm); in-app paths are resolved against "
        "app://<origin>/ (ManifestHelper). Where checkManifest does not look (a locale's launch_path, "
        "the handlers of an array-form activity) such a path resolves to another app: host: a warning. "
        "For 3.0 it is a warning too: not confirmed.",
        '{"name": "Demo", "launch_path": "https://example.com/index.html"}',
        '{"name": "Demo", "launch_path": "/index.html"}',
        True,
        fix_note='Keeps the path part of the URL ("https://example.com/index.html" -> "/index.html"; preferred only for app: URLs, which point into the app anyway). For a protocol-relative path (//host/x.html) the fix is offered only when x.html exists in the app folder.',
    ),
    Rule(
        "KAI112",
        "origin",
        "origin must be app:// and needs a privileged or certified app",
        E,
        "Manifest",
        "KaiOS 2.5 honours origin only for signed privileged or certified packages and only with "
        "the app: scheme; any other scheme fails the install with INVALID_ORIGIN (error). On a web "
        "app it is ignored (warning).",
        '{"name": "Demo", "type": "privileged", "origin": "https://demo.example.com"}',
        '{"name": "Demo", "type": "privileged", "origin": "app://demo.example.com"}',
        True,
        fix_note="Rewrites the origin with the app: scheme and the same host; on a web app, removes it.",
    ),
    Rule(
        "KAI113",
        "redirect",
        "Redirect is dropped",
        W,
        "Manifest",
        "Gecko's sanitizeRedirects keeps a redirect only when from is an absolute URL and to is "
        "a path inside the app; others are silently dropped.",
        '{"redirects": [{"from": "/callback", "to": "https://example.com/done.html"}]}',
        '{"redirects": [{"from": "https://example.com/callback", "to": "/done.html"}]}',
        True,
        fix_note="Makes redirects.to a path inside the app (keeps the URL's path). No fix for a relative from: which URL the redirect should catch is the developer's.",
    ),
    Rule(
        "KAI114",
        "cursor-spatial-navigation",
        "cursor together with spatialnavigation-app-manage",
        W,
        "Manifest",
        'Gecko reports "Illegal usage in app manifest: Cannot declare [cursor:true] and permission '
        '[spatialnavigation-app-manage] in the same time." Choose one navigation model.',
        '{"cursor": true, "permissions": {"spatialnavigation-app-manage": {}}}',
        '{"cursor": false, "permissions": {"spatialnavigation-app-manage": {}}}',
        True,
        fix_note="Offers both ways out: set cursor to false, or remove the spatialnavigation-app-manage permission.",
    ),
    Rule(
        "KAI115",
        "needs-service-worker",
        "Activities and messages need a service worker (3.0)",
        W,
        "Manifest",
        "KaiOS 3.0 registers b2g_features.activities and subscribes b2g_features.messages only "
        'when b2g_features.serviceworker is declared (Gecko logs "Skip registering activities... '
        "because serviceworker is not defined\"). Activities arrive in the worker's systemmessage event.",
        '{"name": "Demo", "b2g_features": {"activities": {"share": {}}}}',
        '{"name": "Demo", "b2g_features": {"activities": {"share": {}}, "serviceworker": {"script_url": "sw.js"}}}',
        True,
        example_file="manifest.webmanifest",
        fix_note="Declares b2g_features.serviceworker with an existing worker script (sw.js, service-worker.js...) or creates sw.js with a systemmessage handler to complete.",
    ),
    Rule(
        "KAI116",
        "missing-file",
        "Referenced file does not exist",
        E,
        "Manifest",
        "launch_path/start_url, icons, activity hrefs and the service worker script must exist in "
        "the app folder (file names are case-sensitive on the phone). A missing start page or "
        "worker is an error, a missing icon a warning. The fix corrects the letter case when a "
        "file matches except for case. Skipped for hosted mini-manifests (package_path).",
        '{"launch_path": "/Index.html"}',
        '{"launch_path": "/index.html"}',
        True,
        fix_note="Corrects the letter case when exactly one file matches except for case (preferred); a file that does not exist at all has no mechanical fix.",
    ),
    Rule(
        "KAI117",
        "chrome-needs-fullscreen",
        "chrome.statusbar without fullscreen",
        H,
        "Manifest",
        'chrome.statusbar "overlap" only changes anything when the app is fullscreen.',
        '{"chrome": {"statusbar": "overlap"}}',
        '{"fullscreen": true, "chrome": {"statusbar": "overlap"}}',
        fix_note="No mechanical fix: either fullscreen or the status bar setting is what the developer wants; the hint only says they work together.",
    ),
    Rule(
        "KAI118",
        "priority-needs-privileged",
        "priority on a web app",
        W,
        "Manifest",
        'priority: "high" only applies to privileged and certified apps.',
        '{"type": "web", "priority": "high"}',
        '{"type": "privileged", "priority": "high"}',
        fix_note="No mechanical fix: making the app privileged changes what the store reviews and what the app may do; that is the developer's decision.",
    ),
    # -- permissions (KaiOS 2.5 permissions, KaiOS 3.0 b2g_features.permissions) ----------
    Rule(
        "KAI201",
        "unknown-permission",
        "Unknown permission name",
        E,
        "Permissions",
        'The installer skips a name that is not in the KaiOS permission table (it logs "not a valid '
        'Webapps permission name"), so nothing is granted. The fix offers the closest known names.',
        '{"name": "Demo", "type": "privileged", "permissions": {"camra": {"description": "Take photos"}}}',
        '{"name": "Demo", "type": "privileged", "permissions": {"camera": {"description": "Take photos"}}}',
        True,
        fix_note='Renames to the closest known permission (preferred when there is one candidate); "notification" is read as desktop-notification, the Notification API\'s permission. No rename onto a permission already declared.',
    ),
    Rule(
        "KAI202",
        "permission-denied",
        "Permission denied to this app type",
        E,
        "Permissions",
        "Each permission is allow, prompt or deny per app type (2.5: web, privileged, certified; 3.x: "
        "pwa, signed, core). A denied permission is never granted: the API it unlocks is undefined or "
        "fails. The message names the types that get it; fixes remove it or, where the store can grant "
        "that type (privileged; never certified or core, which only phone makers pre-install), change "
        "the type.",
        '{"name": "Demo", "type": "web", "permissions": {"systemXHR": {"description": "Load feeds"}}}',
        '{"name": "Demo", "type": "privileged", "permissions": {"systemXHR": {"description": "Load feeds"}}}',
        True,
        fix_note="Removes the permission, or where the store can grant the needed type (privileged) changes the type and writes the descriptions the newly granted permissions then need.",
    ),
    Rule(
        "KAI203",
        "permission-access",
        "Missing, unexpected or invalid access",
        E,
        "Permissions",
        'contacts, device-storage:*, settings and a few others need "access" (readonly, readwrite, '
        "readcreate or createonly); all others must not have one. Either mistake makes the installer "
        'grant nothing ("Invalid access"). The fixes insert, remove or replace it (readonly first).',
        '{"name": "Demo", "type": "privileged", "permissions": {"device-storage:sdcard": {"description": "Save podcasts"}}}',
        '{"name": "Demo", "type": "privileged", "permissions": {"device-storage:sdcard": {"description": "Save podcasts", "access": "readwrite"}}}',
        True,
        fix_note="Offers each valid access value (readonly first, the least access), or removes or replaces an invalid one; the choice is the developer's, so none is preferred.",
    ),
    Rule(
        "KAI204",
        "permission-prompt",
        "Permission shows the user a dialog",
        INFO,
        "Permissions",
        "A prompt permission is not granted at install: the first time the app uses the API, KaiOS asks "
        "the user, who may refuse (and can change the answer in Settings). The finding links the "
        "permission to the calls in the app's scripts that show its dialog (getCurrentPosition/"
        "watchPosition, getUserMedia/mozGetUserMedia by the kinds they ask for, DeviceStorage requests "
        "of that storage, mozCameras.getCamera, Notification.requestPermission), counting only scripts that run: reached from an entry point, or build input "
        "(not build output, test files or scripts no page opens). It is a warning when a call ignores a "
        "refusal (no error callback, a getUserMedia promise dropped without .catch, a storage request "
        "without onerror, a requestPermission answer nobody reads: KAI406 at the call site), with KAI406's fixes as edits to those scripts (one "
        "per call site, and one for all of them); a hint when every call handles a refusal; and this "
        "information when no call is found (nothing calls it yet, or kaios-lsp cannot see the call: a "
        "computed name, an app too big to read; KAI405 says when the permission is not used at all). "
        "Inline scripts count where they run (not blocked by the app's or the page's policy). Only permissions that prompt for the app's type and version are reported: certified "
        "and core apps get camera, microphone and device storage without a dialog. desktop-notification "
        "is a prompt permission whose default is allow (KaiOS 2.5; 3.x signed and core): it is granted "
        "without a dialog but the user can turn it off, so check Notification.permission.",
        '{"name": "Demo", "permissions": {"geolocation": {"description": "Show nearby stations"}}}',
        '{"name": "Demo", "permissions": {"alarms": {"description": "Wake up for new episodes"}}}',
        True,
        fix_note="The declaration itself needs no fix: the dialog is what the permission is for. "
        "Where a call ignores a refusal, the fixes edit the call sites (KAI406's fixes, as edits "
        "to the scripts or pages): one per call site, and one for all of them.",
        example_app=(
            "index.html",
            "<!doctype html><script>navigator.geolocation.getCurrentPosition("
            "function (position) { show(position); });</script>",
        ),
    ),
    Rule(
        "KAI205",
        "permission-description",
        "Permission without a description",
        W,
        "Permissions",
        "Stores require a description for each permission (an empty one counts as missing). It is a store-review matter: an always-allowed permission "
        "(systemXHR, alarms...) is granted without any dialog, and only a prompt permission has a "
        "dialog that could show it. Not reported for certified and core apps, which no store "
        "reviews. The fix inserts a description to replace with your own words.",
        '{"name": "Demo", "type": "privileged", "permissions": {"systemXHR": {}}}',
        '{"name": "Demo", "type": "privileged", "permissions": {"systemXHR": {"description": "Load podcast feeds"}}}',
        True,
        fix_note="Inserts a description that says what the permission is for in general words, to replace with your own.",
    ),
    Rule(
        "KAI206",
        "permissions-not-object",
        "permissions given as a list",
        E,
        "Permissions",
        "permissions must be an object of name -> {description, access}. Given as a list, KaiOS reads the "
        'list\'s indexes ("0", "1"...) as permission names and grants nothing.',
        '{"name": "Demo", "type": "privileged", "permissions": ["systemXHR"]}',
        '{"name": "Demo", "type": "privileged", "permissions": {"systemXHR": {"description": "Load feeds"}}}',
        True,
        fix_note="Turns the list into an object of name -> {description} (descriptions to complete).",
    ),
    Rule(
        "KAI207",
        "permission-alias",
        "Substitute alias outside the type that may use it",
        E,
        "Permissions",
        "Some names are aliases that install another permission instead (geolocation-noprompt installs "
        "geolocation without a prompt; moz-attention, moz-audio-channel-*...). They are only available to "
        "certain types; elsewhere nothing is granted. Ask for the real permission.",
        '{"name": "Demo", "type": "privileged", "permissions": {"geolocation-noprompt": {"description": "Where"}}}',
        '{"name": "Demo", "type": "privileged", "permissions": {"geolocation": {"description": "Where"}}}',
        True,
        fix_note="Changes the alias to the permission it stands for (preferred), or removes it.",
    ),
    Rule(
        "KAI208",
        "implicit-permission",
        "Permission every app already has",
        H,
        "Permissions",
        "KaiOS 2.5 grants indexedDB, battery-status, network-information, vibration and "
        "device-capabilities to every app (and offline-app/pin-app with appcache_path); KaiOS 3.x grants "
        "vibration, networkstats-perm, lock-orientation and push. Declaring them does nothing.",
        '{"name": "Demo", "permissions": {"vibration": {"description": "Buzz"}}}',
        '{"name": "Demo", "permissions": {}}',
        True,
        fix_note="Removes the declaration, which changes nothing on the phone (safe).",
    ),
    Rule(
        "KAI209",
        "hosted-app-type",
        "Hosted app declared privileged or certified",
        E,
        "Permissions",
        "Gecko installs hosted apps only as web apps (Webapps.jsm checkAppStatus): a hosted manifest with "
        "type privileged or certified fails to install. A 2.5 manifest does not say whether it is hosted: "
        'set distribution = "hosted" for hosted apps (the default treats a project as packaged).',
        '{"name": "Demo", "type": "privileged"}',
        '{"name": "Demo", "type": "web"}',
        True,
        example_settings={"distribution": "hosted"},
        fix_note="Changes the type to web, the only type a hosted app can have.",
    ),
    # -- manifest Content Security Policy ---------------------------------------------------
    Rule(
        "KAI210",
        "csp-no-effect",
        "csp source that cannot loosen the default policy",
        W,
        "Manifest CSP",
        "Privileged and certified apps have a default policy (script-src 'self' plus the KaiAds local "
        "server; object-src 'none'...). The manifest csp is enforced as a second policy, and a load must "
        "pass both, so a source the default blocks ('unsafe-eval', 'unsafe-inline', a CDN in script-src, "
        "anything in object-src) has no effect. The fix removes it.",
        '{"name": "Demo", "type": "privileged", "csp": "script-src \'self\' \'unsafe-eval\'"}',
        '{"name": "Demo", "type": "privileged", "csp": "script-src \'self\'"}',
        True,
        fix_note="Removes the source (safe); if it was the directive's only source, writes 'self' ('none' for object-src) so the directive does not block everything.",
    ),
    Rule(
        "KAI211",
        "csp-syntax",
        "Malformed csp",
        W,
        "Manifest CSP",
        "Unknown directives and repeated directives are ignored; a missing ';' turns the next directive "
        "into a source; keywords without quotes (self) are read as host names.",
        '{"name": "Demo", "csp": "default-src \'self\' script-src \'self\'"}',
        '{"name": "Demo", "csp": "default-src \'self\'; script-src \'self\'"}',
        True,
        fix_note="Inserts the missing ';', quotes a bare keyword ('self') or removes the colon after a directive name (img-src: -> img-src) when that directive is not already there (all safe). No fix for an unknown or repeated directive.",
    ),
    Rule(
        "KAI212",
        "csp-blocks-app",
        "csp blocks the app's own scripts or styles",
        E,
        "Manifest CSP",
        "A script-src (or default-src) without 'self' blocks every script of the app itself; a style-src "
        "without 'self' every stylesheet (warning). 'none' (script-src 'none', default-src 'none') blocks "
        "them too: the manifest csp is enforced in addition to the default policy, so the default's "
        "'self' cannot let them through; it is reported when the app has scripts (or styles). In KaiOS "
        "3.0 it is a warning: whether 3.0 applies a manifest csp is not confirmed.",
        '{"name": "Demo", "csp": "script-src https://cdn.example.com"}',
        '{"name": "Demo", "csp": "script-src \'self\' https://cdn.example.com"}',
        True,
        fix_note="Adds 'self' to the directive that lacks it (safe). For 'none': replaces it with 'self' in script-src/style-src, or adds script-src 'self' / style-src 'self' after default-src 'none' (not preferred: 'none' may be deliberate). Not reported when the app has no scripts (or no styles) at all.",
    ),
    Rule(
        "KAI213",
        "unverified-permission",
        "Permission only known from some device builds",
        W,
        "Permissions",
        "sound-trigger, teereader-manage, embms, donglemanager, dfc, device-sec-info (2.5.3+ device "
        "builds), background-window, omacpmsg, OmaService (3.1 devices) and euicc (later 3.x) are reported "
        "by kaios.dev, and jrdextension (TCL/Alcatel's navigator.jrdExtension, held by their system Browser) "
        "is known from TCL/Alcatel device builds; none is in the public KaiOS tables: other phones skip them, and what each app type "
        "gets cannot be checked. Turn the rule off if you target those devices.",
        '{"name": "Demo", "type": "privileged", "permissions": {"sound-trigger": {"description": "Wake word"}}}',
        '{"name": "Demo", "type": "privileged", "permissions": {}}',
        fix_note="No mechanical fix: only the device builds you target can say whether the permission exists; set the rule's level to match them.",
    ),
    Rule(
        "KAI214",
        "store-policy-permission",
        "Store-policy name that is not a Gecko permission",
        INFO,
        "Permissions",
        "mobiledata, wifidata and calllog are asked for by the KaiStore China type approval (CTA), not "
        "by the phone: Gecko logs them as invalid names and ignores them. Keep them if you publish there.",
        '{"name": "Demo", "permissions": {"mobiledata": {"description": "Uses mobile data"}}}',
        '{"name": "Demo", "permissions": {}}',
        fix_note="No mechanical fix: these names are store-policy labels, not Gecko permissions; keep or remove them as the store you publish in requires.",
    ),
    Rule(
        "KAI215",
        "permission-other-version",
        "Permission of the other KaiOS version",
        E,
        "Permissions",
        "KaiOS 3.x renamed or removed several permissions (spatialnavigation-app-manage -> virtualcursor, "
        "time -> system-time, deviceconfig -> device-configuration, kaios-accounts -> "
        "account-observer-kaiaccount, engineering-mode -> engmode; serviceworker and push are not needed) "
        "and added others. A permission of the other version is skipped, so nothing is granted. The fix "
        "renames it where there is an equivalent.",
        '{"name": "Demo", "type": "privileged", "permissions": {"virtualcursor": {"description": "Cursor"}}}',
        '{"name": "Demo", "type": "privileged", "permissions": {"spatialnavigation-app-manage": {"description": "Cursor"}}}',
        True,
        fix_note="Renames to the other version's equivalent where there is one, or removes it.",
    ),
    # -- HTML pages: Content Security Policy and web security -----------------------------
    Rule(
        "KAI301",
        "inline-script",
        "Inline <script> blocked by the app's policy",
        E,
        "HTML",
        "Privileged and certified packaged apps run under script-src 'self' (plus the KaiAds local server): "
        "inline scripts never run, silently. Not reported for src= scripts, empty scripts, data blocks "
        "(text/template, application/json, importmap...), or web apps (no default policy). The fix moves "
        "the code verbatim into a new file next to the page and loads it with <script src> at the same place "
        "(with defer only where that keeps the order of the page's scripts).",
        '<script>document.title = "Ready";</script>',
        '<script src="ready.js"></script>',
        True,
        example_file="index.html",
        example_app=("manifest.webapp", '{"name": "Demo", "type": "privileged"}'),
        fix_note="Moves the code verbatim into a new .js file beside the page and loads it with "
        "<script src> in the same place (defer only where the page's script order stays the same).",
    ),
    Rule(
        "KAI302",
        "inline-handler",
        "Inline event handler blocked by the app's policy",
        E,
        "HTML",
        "onclick=, onload= and every other on* attribute is inline script: blocked by script-src without "
        "'unsafe-inline'. The fix removes the attribute, gives the element an id if it has none, and adds "
        "an addEventListener call with the same code (keeping `this` and `return false`) to a script of the "
        "page, created if needed. Scripts are checked too, under this rule because they make the same "
        "thing: el.setAttribute('onclick', '...') creates an inline handler attribute the policy blocks, and "
        "el.onclick = 'go()' (a string that contains a call) never runs on any browser (the property takes a "
        "function; a string is stored as null).",
        '<button onclick="play()">Play</button>',
        '<button id="play">Play</button>',
        True,
        example_file="index.html",
        example_app=("manifest.webapp", '{"name": "Demo", "type": "privileged"}'),
        fix_note="Page: the handler moves into <page>-handlers.js as an addEventListener call (the element "
        "gets an id; `this` and `return false` keep working). The listener calls event.preventDefault() "
        "first when the code navigates itself (history.*, location, window.open, submit) on an element that "
        "navigates or submits by default, or when the link's href is a javascript: URL (the KAI303 fix makes "
        'it "#"): else the two navigations race. The title names bare names the inline scope chain may '
        "have resolved to the element, form or document (check value). Script: setAttribute('onX', "
        "'code') and el.onX = 'code' become el.onX = function (event) { code; } for one-line literal code; "
        "code built at run time has no mechanical fix.",
    ),
    Rule(
        "KAI303",
        "javascript-url",
        "javascript: URL blocked by the app's policy",
        E,
        "HTML",
        "javascript: URLs in href, src, action or formaction are inline script. The fix turns a no-op "
        '(javascript:void(0)) into "#", or moves the code into a click listener. Scripts are checked '
        "too (a javascript: URL is blocked however it is followed): a.href = 'javascript:...', "
        "setAttribute('href', 'javascript:...'), location.href/location = 'javascript:...', "
        "location.assign/replace('javascript:...') and window.open('javascript:...').",
        '<a href="javascript:play()">Play</a>',
        '<a href="#" id="play">Play</a>',
        True,
        example_file="index.html",
        example_app=("manifest.webapp", '{"name": "Demo", "type": "privileged"}'),
        fix_note='Page: javascript:void(0) becomes "#"; other code on an <a> moves into a click listener '
        'that calls event.preventDefault() first (so "#" does not navigate too) and the href becomes '
        '"#". src, action and formaction have no mechanical fix (what should load or submit is the '
        "developer's). Script: an element href of javascript:void(0) becomes '#'; location and window.open "
        "with code have no mechanical fix (call the code directly or from a listener: the developer's "
        "choice).",
    ),
    Rule(
        "KAI304",
        "blocked-source",
        "Script or stylesheet from an origin the policy blocks",
        E,
        "HTML",
        "The default policy allows scripts only from the app itself and the KaiAds local server "
        "(http://127.0.0.1:8081, http://local-device.kaiostech.com:8081), and stylesheets only from the app: "
        "a CDN script or web font stylesheet never loads. Ship a copy inside the package. Files the phone "
        "itself serves are never to be shipped: the KaiOS 3.0 api-daemon libraries "
        "(http://127.0.0.1/api/v1/shared/core.js, .../apps/service.js) are allowed by the 3.0 packaged-app "
        "policy (script-src 'self' http://127.0.0.1 http://shared.localhost) and are not reported there; "
        "elsewhere the message says they belong to KaiOS 3.0.",
        '<script src="https://cdn.example.com/lib.js"></script>',
        '<script src="lib.js"></script>',
        example_file="index.html",
        example_app=("manifest.webapp", '{"name": "Demo", "type": "privileged"}'),
        fix_note="No mechanical fix: the script or stylesheet must ship inside the app (a copy the developer chooses and licenses) or the policy must allow its origin, which a packaged app's default policy cannot.",
    ),
    Rule(
        "KAI305",
        "plugin-element",
        "<object>, <embed> or <applet> blocked",
        E,
        "HTML",
        "object-src 'none' refuses every plugin, and KaiOS has none anyway.",
        '<object data="player.swf"></object>',
        '<audio src="podcast.mp3"></audio>',
        True,
        example_file="index.html",
        example_app=("manifest.webapp", '{"name": "Demo", "type": "privileged"}'),
        fix_note="Removes the element (it never loads on KaiOS); what replaces it (<audio>, <video>, "
        "<img>) is the developer's choice.",
    ),
    Rule(
        "KAI306",
        "meta-csp",
        "Page sets its own Content Security Policy",
        INFO,
        "HTML",
        'A <meta http-equiv="Content-Security-Policy"> is enforced in addition to the app\'s policies: it '
        "can only add restrictions, and only for what follows it in the page. kaios-lsp applies it to the "
        "checks of this page. Gecko ignores one outside <head> (after <body> or body content): that "
        "is reported as a warning, with a fix that removes it.",
        '<meta http-equiv="Content-Security-Policy" content="script-src \'self\'">',
        '<meta charset="utf-8">',
        example_file="index.html",
        example_app=("manifest.webapp", '{"name": "Demo", "type": "privileged"}'),
        fix_note="No fix: information only; the page's own policy is enforced in addition to the app's.",
    ),
    Rule(
        "KAI307",
        "mixed-content",
        "http:// resource (cleartext or mixed content)",
        W,
        "HTML",
        "An http:// script, frame, stylesheet or form is blocked as mixed content on a hosted app served over "
        "https (error); elsewhere, and for images and media, it travels in clear text (warning). The device "
        "itself (127.0.0.1, localhost, *.localhost) is not flagged. The fix switches to https:// on the same host.",
        '<img src="http://cdn.example.com/logo.png">',
        '<img src="https://cdn.example.com/logo.png">',
        True,
        example_file="index.html",
        example_app=("manifest.webapp", '{"name": "Demo", "type": "privileged"}'),
        fix_note="Switches the URL to https:// on the same host (a choice: the server must serve it).",
    ),
    Rule(
        "KAI308",
        "missing-sri",
        "Cross-origin script or stylesheet without integrity",
        W,
        "HTML",
        "Hosted apps and PWAs: a script or stylesheet from another origin runs with the app's rights; "
        'Subresource Integrity (integrity="sha384-...") makes the browser refuse a changed file. When a file '
        "with the same name is in the app folder, the fix offers its hash (check it is the same file); the "
        "network is never fetched.",
        '<script src="https://cdn.example.com/lib.js"></script>',
        '<script src="https://cdn.example.com/lib.js" integrity="sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC" crossorigin="anonymous"></script>',
        example_file="index.html",
        example_app=(
            "manifest.webmanifest",
            '{"name": "Demo", "start_url": "https://app.example.com/"}',
        ),
        fix_note="A hash is offered only when an identical local copy of the file is in the app folder (the network is never fetched); otherwise no mechanical fix.",
    ),
    Rule(
        "KAI309",
        "sri-crossorigin",
        "integrity without crossorigin",
        W,
        "HTML",
        "A cross-origin response fetched without CORS cannot be checked against its integrity, so the browser "
        'refuses it. Add crossorigin="anonymous".',
        '<script src="https://cdn.example.com/lib.js" integrity="sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC"></script>',
        '<script src="https://cdn.example.com/lib.js" integrity="sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC" crossorigin="anonymous"></script>',
        True,
        example_file="index.html",
        example_app=(
            "manifest.webmanifest",
            '{"name": "Demo", "start_url": "https://app.example.com/"}',
        ),
        fix_note='Adds crossorigin="anonymous" to the tag.',
    ),
    Rule(
        "KAI310",
        "target-blank",
        "target=_blank link without rel=noopener noreferrer",
        H,
        "HTML",
        'A page opened with target="_blank" gets window.opener (it can navigate your app) and your page\'s '
        'address as Referer. Add rel="noopener noreferrer". Not for KaiOS 2.5 packaged apps: their app:// '
        "pages send no Referer (as for KAI311), and Gecko 48 predates noopener, so the fix would not apply "
        "there. Scripts too: window.open('https://other.example/', '_blank') (or without a target, which "
        "means _blank) to another origin, unless the features already say noopener,noreferrer.",
        '<a href="https://example.com/" target="_blank">Site</a>',
        '<a href="https://example.com/" target="_blank" rel="noopener noreferrer">Site</a>',
        True,
        example_file="index.html",
        example_app=("manifest.webmanifest", '{"name": "Demo", "start_url": "/index.html"}'),
        fix_note='Page: adds rel="noopener noreferrer" (or the missing words to rel). Script on KaiOS 3.0: '
        "adds 'noopener,noreferrer' as window.open's features (Firefox 52+ honours noopener; unknown "
        "features are ignored), only where the call's result is unused (with noopener window.open returns "
        "null). Script on a KaiOS 2.5 hosted app (Gecko 48 has no noopener): (window.open(...) || "
        "{}).opener = null cuts the opener; the Referer needs KAI311's referrer policy.",
    ),
    Rule(
        "KAI311",
        "referrer-leak",
        "Page sends its address to third parties",
        H,
        "HTML",
        "Without a referrer policy, requests and links to other origins carry the app page's address "
        '(Referer). The fix adds <meta name="referrer" content="no-referrer">; reported once per page. '
        "Not for KaiOS 2.5 packaged apps: Gecko sends no Referer from app:// pages.",
        '<head></head><img src="https://cdn.example.com/logo.png">',
        '<head><meta name="referrer" content="no-referrer"></head><img src="https://cdn.example.com/logo.png">',
        True,
        example_file="index.html",
        example_app=("manifest.webmanifest", '{"name": "Demo", "start_url": "/index.html"}'),
        fix_note='Adds <meta name="referrer" content="no-referrer"> to the head.',
    ),
    # -- JavaScript: CSP, secure contexts, permissions, engine syntax ----------------------
    Rule(
        "KAI401",
        "js-syntax-error",
        "JavaScript syntax error",
        E,
        "JavaScript",
        "The script does not parse, so none of it runs. Reported only when the code is really invalid "
        "(tree-sitter agrees), never because esprima is older than the language; the position is the "
        "first place the parser could not recover from. Also import/export in a .js file that a page of "
        'the app loads as a classic script (<script src> without type="module"): a SyntaxError there on '
        "every KaiOS version (the page is named). Only for shipped files: build input is rewritten by "
        "the bundler.",
        "function ready() {\n  document.title = 'Ready';\n",
        "function ready() {\n  document.title = 'Ready';\n}",
        example_file="app.js",
        fix_note="No mechanical fix for a real syntax error: what the code should have been is unknown; "
        "the message points at the token where parsing fails. For import/export in a classic script on "
        'KaiOS 3.0 the fix adds type="module" to the page\'s <script> tags (a choice, never applied by '
        "--fix: a module runs deferred, in strict mode, and its top-level names are no longer globals); "
        "KaiOS 2.5 runs no modules, so there the code needs a bundler: no fix.",
    ),
    Rule(
        "KAI402",
        "eval-blocked",
        "eval, new Function or a string timer under a policy without 'unsafe-eval'",
        E,
        "JavaScript",
        "Privileged and certified packaged apps (and KaiOS 3.0 packaged apps) run under a script-src without "
        "'unsafe-eval': eval(), new Function(), Function() and setTimeout/setInterval/setImmediate with a "
        "string throw an EvalError (timers silently do nothing). Checked in minified and vendor code too. "
        "Inside a try whose catch handles the EvalError (returns, assigns a fallback; not one that "
        "rethrows, nor an empty one while the result is used) eval/new Function is a feature probe "
        "(AngularJS's CSP detection, promise polyfills): a hint. "
        "A string timer whose string sits in a variable (var code = 'tick()'; setTimeout(code, 10)) is "
        "found when the variable is declared once with a string literal (or a + of literals) and never "
        "assigned again; other variables are left alone (they may hold a function).",
        'setTimeout("tick()", 1000);',
        "setTimeout(tick, 1000);",
        True,
        example_file="app.js",
        example_app=("manifest.webapp", '{"name": "Demo", "type": "privileged"}'),
        fix_note="A timer whose one-line code is known (a literal, or a variable holding one) gets a "
        "function: setTimeout(function () { tick(); }, 10). eval(text) can become JSON.parse(text), and "
        "eval('(' + text + ')') JSON.parse(text) (a choice, never applied by --fix: JSON.parse only reads "
        "strict JSON); not offered when the argument is known code (a literal that is not JSON, "
        "'return ' + x). new Function(...) and built timer strings have no mechanical fix: the code is "
        "made at run time, and only the developer knows which function it should have been.",
    ),
    Rule(
        "KAI403",
        "insecure-context-api",
        "Secure-context API used without a guard",
        W,
        "JavaScript",
        "navigator.serviceWorker, caches, Notification, navigator.mediaDevices, crypto.subtle, "
        "navigator.storage/clipboard/credentials, PushManager and registerProtocolHandler fail outside a "
        "secure context on KaiOS 3.0 (undefined, rejected or denied), and some do not exist at all on KaiOS "
        "2.5 (Gecko 48). A use is guarded by an if/?:/&&/early return on a feature test ('x' in navigator, "
        "navigator.x, typeof X !== 'undefined', window.isSecureContext on 3.0), optional chaining, a try with "
        "a catch, or .catch()/.then(ok, failed) for promises. KaiOS 2.5 packaged apps (app://) and https "
        "hosted apps are secure contexts; KaiOS 3.0 packaged apps (http://<app>.localhost) probably are but "
        "it is not confirmed, so findings there are information unless the secureContext setting "
        "(auto/secure/insecure) says otherwise. On 2.5 a window.isSecureContext test is reported too: it is "
        "undefined there, so the guarded code never runs. An early return on a related test counts too "
        "(if (!('PushManager' in window)) return; proves service workers: Gecko exposes PushManager only "
        "where they are). Destructuring counts as using the API (const { serviceWorker } = navigator).",
        "navigator.storage.persist();",
        "if (navigator.storage) {\n  navigator.storage.persist();\n}",
        True,
        example_file="app.js",
        example_app=("manifest.webapp", '{"name": "Demo", "type": "privileged"}'),
        fix_note="Wraps the statement in the feature test (if ('serviceWorker' in navigator) { ... }), or "
        "adds .catch(...) to a promise that rejects. No fix where the use is not a statement of its own "
        "(inside an expression or a condition): what to do without the API is the developer's choice.",
    ),
    Rule(
        "KAI404",
        "missing-permission",
        "API used without its permission in the manifest",
        W,
        "JavaScript",
        "navigator.mozContacts, getDeviceStorage('sdcard'), new XMLHttpRequest({ mozSystem: true }), "
        "mozAlarms, mozTCPSocket, getUserMedia({ video }), navigator.b2g.* on 3.0 and the other APIs in "
        "data/js_apis.json need a permission in the manifest (permissions on 2.5, b2g_features.permissions on "
        "3.0). The message says what happens per API: most are undefined without it, so any use throws a "
        "TypeError (navigator.mozContacts.find(), navigator.b2g.*); getFlashlightManager() throws a "
        "SecurityError; DeviceStorage requests fail; prompt APIs (geolocation, getUserMedia) refuse; systemXHR "
        "silently becomes a CORS request. Where no enforcement point is known (MozSpeakerManager, "
        "Notification, navigator.b2g.cameras) it says so, as information. MozActivity needs none. The fix adds the permission, with a description and each possible "
        "access level as a choice, to the manifest, which then re-validates; no fix when the app type can "
        "never get it.",
        "var cursor = navigator.mozContacts.getAll();",
        "navigator.mozAlarms.getAll();",
        True,
        example_file="app.js",
        example_app=(
            "manifest.webapp",
            '{"name": "Demo", "type": "privileged", "permissions": {"alarms": {"description": "Wake up"}}}',
        ),
        fix_note="Adds the permission (with a description to fill in and each access level as a choice) "
        "to the manifest. No fix when the app's type can never be granted it (a certified-only permission "
        "in a privileged app): changing the type is the developer's decision.",
    ),
    Rule(
        "KAI405",
        "unused-permission",
        "Declared permission that no script uses",
        H,
        "JavaScript",
        "A permission whose APIs no script or page of the app even mentions (any mention counts, so this never "
        "guesses). Only permissions whose APIs kaios-lsp knows are judged, and nothing is reported when the app "
        "is too big to read completely (5,000 files or 64 MB). The manifest's own mentions count too: a system "
        "message it registers (alarm -> alarms, notification -> desktop-notification, push, sms-*, "
        "telephony-*, bluetooth-*; SystemMessagePermissionsChecker.jsm) or the API named in the entry itself "
        '("spatialnavigation-app-manage": {"navigator.spatialNavigationEnabled": false}). Shown faded in the '
        "manifest; the fix removes it.",
        '{"name": "Demo", "type": "privileged", "permissions": {"contacts": {"description": "Find friends", "access": "readonly"}}}',
        '{"name": "Demo", "type": "privileged", "permissions": {}}',
        True,
        fix_note="Removes the permission from the manifest.",
    ),
    Rule(
        "KAI406",
        "unhandled-refusal",
        "Permission prompt without refusal handling",
        W,
        "JavaScript",
        "getCurrentPosition/watchPosition without an error callback, mozGetUserMedia without one, a "
        "getUserMedia() or mozCameras.getCamera() promise dropped without .catch (or await outside "
        "try/catch), a DeviceStorage request with onsuccess but no onerror, and a "
        "Notification.requestPermission() whose answer nobody reads (a bare call, a callback without "
        "a parameter, in a script that never reads Notification.permission): when the user refuses "
        "the prompt nothing tells the app. A promise that is returned or stored is not judged (its "
        "caller may handle it). Whether a call prompts comes from the app's own column of the "
        "permission table: certified and core apps get camera and microphone without a dialog, so "
        "their getUserMedia is not reported, and desktop-notification, whose prompt defaults to allow "
        "on KaiOS 2.5 and for 3.x packaged apps, is judged only for hosted 3.x apps. Fixes add the "
        "error callback, .catch(), onerror or a check of the answer. The finding links to the manifest "
        "permission whose prompt the call shows, where KAI204 is a warning offering the same fix.",
        "navigator.geolocation.getCurrentPosition(function (position) { show(position); });",
        "navigator.geolocation.getCurrentPosition(function (position) { show(position); }, showError);",
        True,
        example_file="app.js",
        example_app=(
            "manifest.webapp",
            '{"name": "Demo", "type": "privileged", "permissions": {"geolocation": {"description": "Map"}}}',
        ),
        fix_note="Adds the refusal handling at the call: an error callback for getCurrentPosition/watchPosition, .catch for promises, onerror for requests, a check of requestPermission's answer. Never marked safe: what the app shows on refusal is the developer's choice (the added handler only logs it).",
    ),
    Rule(
        "KAI407",
        "local-cookie",
        "document.cookie in a KaiOS 3.0 packaged app",
        INFO,
        "JavaScript",
        "KaiOS 3.0 packaged apps run from http://<app>.localhost: their cookies belong to that local origin "
        "and never reach a server, so they cannot carry a login session.",
        'document.cookie = "session=" + token;',
        'localStorage.setItem("session", token);',
        example_file="app.js",
        example_app=("manifest.webmanifest", '{"name": "Demo", "start_url": "/index.html"}'),
        fix_note="No mechanical fix: where to keep the data instead (localStorage, IndexedDB) depends on the app.",
    ),
    Rule(
        "KAI408",
        "cleartext-url",
        "Cleartext http:// or ws:// URL passed to a network API",
        W,
        "JavaScript",
        "A literal http:// or ws:// URL (also the start of a concatenation or template) passed to fetch, "
        "XMLHttpRequest.open, WebSocket, EventSource, importScripts or sendBeacon: readable and changeable on "
        "the network, and blocked as mixed content on https pages. Local hosts (localhost, 127.x, *.localhost, "
        "local-device.kaiostech.com) are fine. The fix switches to https:// or wss:// (a choice: the server "
        "must support it).",
        'fetch("http://api.example.com/news");',
        'fetch("https://api.example.com/news");',
        True,
        example_file="app.js",
        fix_note="Switches the URL to https:// or wss:// (a choice: the server must support it).",
    ),
    Rule(
        "KAI409",
        "unsupported-syntax",
        "Syntax the target's JavaScript engine cannot parse",
        E,
        "JavaScript",
        "KaiOS 2.5 runs Gecko 48 and KaiOS 3.0 Gecko 84; one construct newer than that (async functions, **, "
        "object spread, optional chaining, ??, class fields, private members, static blocks, numeric "
        "separators, BigInt, regexp lookbehind... from MDN browser-compat-data) makes the whole script fail "
        "with a SyntaxError. Fixes where the rewrite is mechanical: remove numeric separators and trailing "
        "commas, name the catch binding, const -> let in for...of; otherwise transpile or target KaiOS 3.0.",
        "var big = 1_000_000;",
        "var big = 1000000;",
        True,
        example_file="app.js",
        example_app=("manifest.webapp", '{"name": "Demo", "type": "privileged"}'),
        fix_note="Rewrites what is mechanical: removes numeric separators and trailing commas, names the "
        "catch binding, const -> let in for...of. Async functions, spread, ?., class fields... need a "
        "transpiler (a build step): rewriting them by hand is not one edit.",
    ),
    # -- the build: what a transpiler keeps -------------------------------------------------
    Rule(
        "KAI410",
        "build-target",
        "The build's targets keep syntax the phone cannot parse",
        E,
        "Build",
        "In a project with a build step the sources may use any syntax: the transpiler rewrites "
        "what its target lacks. kaios-lsp judges that target instead of every line of source: "
        "browserslist, Babel preset-env targets, TypeScript target, esbuild/Vite target, Parcel "
        "engines. When the targets only name browsers that parse a syntax (async functions, "
        "object spread, ?. ...) that KaiOS 2.5's Gecko 48 (or 3.0's Gecko 84) cannot, the build "
        "keeps it and the built script fails to load. Error when the sources use such syntax (the "
        "first use is shown), information when they do not yet. The fix adds the phone to the "
        "targets and keeps the others. Browser support: MDN browser-compat-data; browserslist "
        "queries resolved with browserslist and caniuse-lite (see kaios_lsp/facts/data/browser_syntax.json).",
        '{"devDependencies": {"@babel/core": "^7.24.0", "@babel/preset-env": "^7.24.0"},\n'
        ' "babel": {"presets": ["@babel/preset-env"]},\n'
        ' "browserslist": ["last 2 Chrome versions"]}',
        '{"devDependencies": {"@babel/core": "^7.24.0", "@babel/preset-env": "^7.24.0"},\n'
        ' "babel": {"presets": ["@babel/preset-env"]},\n'
        ' "browserslist": ["last 2 Chrome versions", "firefox >= 48"]}',
        True,
        example_file="package.json",
        example_app=("manifest.webapp", '{"name": "Demo", "type": "privileged"}'),
        fix_note='Adds the phone to the targets, keeping the others: "firefox >= 48" (2.5) or "firefox >= 84" (3.0) in a browserslist, firefox in Babel targets, firefox48 in esbuild/Vite lists, ES5/ES2021 for TypeScript. Not marked safe: it changes what the build emits. No fix when the setting is not a literal kaios-lsp can edit.',
    ),
    Rule(
        "KAI411",
        "build-without-target",
        "The build has no target and keeps modern syntax",
        W,
        "Build",
        "A build tool whose default keeps modern syntax (esbuild: esnext; Vite: its per-version "
        "browser list; Parcel 2: the last Chrome, Safari, Firefox and Edge; webpack without a "
        "transpiler: nothing is rewritten) and no target in the project: what the sources use "
        "reaches the phone as written. Reported once, at the tool in package.json: a warning "
        "when the sources use syntax the phone cannot parse (the first use is shown), "
        "information when they do not yet. For Parcel the fix adds a browserslist with the "
        "phone; for the others the message says where to set the target.",
        '{"devDependencies": {"parcel": "^2.12.0"},\n "scripts": {"build": "parcel build src/index.html"}}',
        '{"devDependencies": {"parcel": "^2.12.0"},\n "scripts": {"build": "parcel build src/index.html"},\n'
        ' "browserslist": ["firefox >= 48"]}',
        True,
        example_file="package.json",
        example_app=("manifest.webapp", '{"name": "Demo", "type": "privileged"}'),
        fix_note="Parcel: adds a browserslist with the phone to package.json. Vite, esbuild, webpack without a transpiler: no mechanical fix (the target lives in a JavaScript config or a command line); the message says where to set it.",
    ),
]

RULES: dict[str, Rule] = {rule.id: rule for rule in _RULES}
RULES_BY_NAME: dict[str, Rule] = {rule.name: rule for rule in _RULES}


def lookup(key: str) -> Rule | None:
    """A rule by id (any case) or by name."""
    return RULES.get(key.strip().upper()) or RULES_BY_NAME.get(key.strip().lower())


def _fence(rule: Rule) -> str:
    if rule.example_file.endswith(".html"):
        return "html"
    return "js" if rule.example_file.endswith((".js", ".mjs")) else "json"


def render_text() -> str:
    width = max(len(r.name) for r in _RULES)
    lines = []
    for rule in _RULES:
        fix = "fix" if rule.fixable else "   "
        lines.append(
            f"{rule.id}  {rule.name:<{width}}  {rule.severity.label:<7}  {fix}  {rule.title}"
        )
    return "\n".join(lines) + "\n"


def render_table(link_to: str = "docs/rules.md") -> str:
    """The Markdown table of all rules (README and docs/rules.md)."""
    out = ["| id | name | default | quick fix | title |", "|---|---|---|---|---|"]
    for rule in _RULES:
        out.append(
            f"| [{rule.id}]({link_to}#{rule.anchor}) | `{rule.name}` | {rule.severity.label} | "
            f"{'yes' if rule.fixable else ''} | {rule.title} |"
        )
    return "\n".join(out) + "\n"


def render_markdown() -> str:
    """The rule reference (docs/rules.md)."""
    out = [
        "# kaios-lsp rule reference",
        "",
        "Generated by `kaios-lsp rules --format markdown` from `kaios_lsp/rules/catalog.py`; do not edit by hand.",
        "",
        'Configure a rule by id or name (`"KAI101": "off"` or `"unknown-member": "error"`); see the README.',
        "",
        render_table(link_to="").rstrip("\n"),
    ]
    category = None
    for rule in _RULES:
        if rule.category != category:
            category = rule.category
            out += ["", f"## {category}"]
        out += [
            "",
            f"### {rule.id} {rule.name}",
            "",
            f"**{rule.title}** — default severity: {rule.severity.label}"
            + ("; has a quick fix." if rule.fixable else "."),
            "",
            rule.explanation,
            "",
            "**Quick fix:** "
            + (rule.fix_note or "yes; see the flagged example and its fixed form below."),
            "",
            f"Flagged (in `{rule.example_file}`"
            + (
                ", with settings "
                + ", ".join(f"`{k} = {v!r}`" for k, v in rule.example_settings.items())
                if rule.example_settings
                else ""
            )
            + (
                f", in an app whose `{rule.example_app[0]}` is `{rule.example_app[1]}`"
                if rule.example_app
                else ""
            )
            + "):",
            "",
            "```" + _fence(rule),
            rule.bad,
            "```",
            "",
            f"Fine (in `{rule.example_file}`):",
            "",
            "```" + _fence(rule),
            rule.good,
            "```",
        ]
    return "\n".join(out) + "\n"
