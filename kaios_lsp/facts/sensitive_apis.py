"""Browser and KaiOS APIs that act on the user's behalf: sending, calling, deleting,
paying, installing, posting with the user's session, navigating. KAI412 reports them
when data another app chose reaches them without the user deciding.

Each entry names what the call does in words and where the fact comes from (a WebIDL
file of ``roytam1/gecko-kaios`` for KaiOS 2.5, of ``kaiostech/gecko-b2g`` for 3.0, or
the web platform specification / MDN).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SensitiveCall:
    path: str  # the global path of the callee (``navigator.mozTelephony.dial``)
    action: str  # what a call does, as the finding words it ("sends an SMS")
    source: str  # where the fact comes from


@dataclass(frozen=True)
class SensitiveMethod:
    """A method of an object some global call returns (``navigator.getDeviceStorage()``)."""

    factory: str  # global path of the call returning the object
    method: str
    action: str
    source: str


_GECKO48 = "roytam1/gecko-kaios dom/webidl/"
_B2G = "kaiostech/gecko-b2g dom/webidl/"

CALLS: tuple[SensitiveCall, ...] = (
    SensitiveCall(
        "navigator.mozMobileMessage.send",
        "sends an SMS",
        _GECKO48 + "MozMobileMessageManager.webidl",
    ),
    SensitiveCall(
        "navigator.mozMobileMessage.sendMMS",
        "sends an MMS",
        _GECKO48 + "MozMobileMessageManager.webidl",
    ),
    SensitiveCall(
        "navigator.b2g.mobileMessageManager.send",
        "sends an SMS",
        _B2G + "MobileMessageManager.webidl",
    ),
    SensitiveCall(
        "navigator.b2g.mobileMessageManager.sendMMS",
        "sends an MMS",
        _B2G + "MobileMessageManager.webidl",
    ),
    SensitiveCall(
        "navigator.mozTelephony.dial", "dials a phone number", _GECKO48 + "Telephony.webidl"
    ),
    SensitiveCall(
        "navigator.b2g.telephony.dial", "dials a phone number", _B2G + "Telephony.webidl"
    ),
    SensitiveCall("navigator.mozContacts.save", "saves a contact", _GECKO48 + "Contacts.webidl"),
    SensitiveCall(
        "navigator.mozContacts.remove", "deletes a contact", _GECKO48 + "Contacts.webidl"
    ),
    SensitiveCall(
        "navigator.mozContacts.clear", "deletes every contact", _GECKO48 + "Contacts.webidl"
    ),
    SensitiveCall("navigator.mozAlarms.add", "sets an alarm", _GECKO48 + "AlarmsManager.webidl"),
    SensitiveCall("navigator.b2g.alarmManager.add", "sets an alarm", _B2G + "AlarmManager.webidl"),
    SensitiveCall("navigator.mozApps.install", "installs an app", _GECKO48 + "Apps.webidl"),
    SensitiveCall("navigator.mozApps.installPackage", "installs an app", _GECKO48 + "Apps.webidl"),
    SensitiveCall(
        "navigator.mozApps.mgmt.uninstall", "uninstalls an app", _GECKO48 + "Apps.webidl"
    ),
    SensitiveCall("navigator.mozPay", "starts a payment", _GECKO48 + "Navigator.webidl (mozPay)"),
    SensitiveCall(
        "navigator.sendBeacon",
        "posts to a server",
        "Beacon API (W3C), " + _GECKO48 + "Navigator.webidl",
    ),
)

METHODS: tuple[SensitiveMethod, ...] = (
    SensitiveMethod(
        "navigator.getDeviceStorage", "delete", "deletes a file", _GECKO48 + "DeviceStorage.webidl"
    ),
    SensitiveMethod(
        "navigator.getDeviceStorage", "addNamed", "writes a file", _GECKO48 + "DeviceStorage.webidl"
    ),
    SensitiveMethod(
        "navigator.b2g.getDeviceStorage", "delete", "deletes a file", _B2G + "DeviceStorage.webidl"
    ),
    SensitiveMethod(
        "navigator.b2g.getDeviceStorage", "addNamed", "writes a file", _B2G + "DeviceStorage.webidl"
    ),
    SensitiveMethod(
        "navigator.mozSettings.createLock",
        "set",
        "changes a system setting",
        _GECKO48 + "SettingsManager.webidl",
    ),
)

# fetch(url, init): a write when init says a method other than GET/HEAD or carries a body
# (Fetch standard; a fetch with only a URL is a GET and changes nothing by itself)
FETCH = "fetch"
FETCH_ACTION = "posts to the server"
FETCH_SOURCE = "Fetch standard (fetch.spec.whatwg.org), MDN fetch()"
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# XMLHttpRequest: open(method, url) with a writing method, then send(body)
XHR = "XMLHttpRequest"
XHR_WRITE_METHODS = frozenset({"POST", "PUT", "DELETE", "PATCH"})
XHR_ACTION = "posts to the server"
XHR_SOURCE = "XMLHttpRequest standard (xhr.spec.whatwg.org)"
# HTMLFormElement.submit(): sends the form's fields
FORM_ACTION = "submits a form"
FORM_SOURCE = "HTML standard, HTMLFormElement.submit()"

# Navigation: assigning these, or calling these with a URL, leaves for that URL
NAVIGATION_TARGETS = frozenset(
    {"location", "location.href", "document.location", "document.location.href"}
)
NAVIGATION_CALLS = frozenset(
    {
        "location.assign",
        "location.replace",
        "document.location.assign",
        "document.location.replace",
        "open",
    }
)
NAVIGATION_ACTION = "navigates to a URL from the request"
NAVIGATION_SOURCE = "HTML standard (Location, window.open)"


def call_paths() -> tuple[str, ...]:
    return tuple(c.path for c in CALLS)


def factory_paths() -> tuple[str, ...]:
    return tuple(sorted({m.factory for m in METHODS}))
