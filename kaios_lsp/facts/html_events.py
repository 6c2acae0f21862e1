"""Event handler content attributes: the ``on*`` attributes a browser turns into code.

An ``on*`` attribute that is not one of these (``one="1"``, a framework's ``onfoo``) is
plain data and runs nothing, so it is not an inline handler. The list follows the HTML
standard's GlobalEventHandlers, WindowEventHandlers and DocumentAndElementEventHandlers,
plus the Gecko-only handlers of the Gecko versions KaiOS ships (48 and 84).
"""

from __future__ import annotations

_NAMES = """
    abort afterprint animationcancel animationend animationiteration animationstart
    auxclick beforeinput beforematch beforeprint beforetoggle beforeunload blur cancel
    canplay canplaythrough change click close contextlost contextmenu contextrestored
    copy cuechange cut dblclick drag dragend dragenter dragexit dragleave dragover
    dragstart drop durationchange emptied encrypted ended error focus focusin focusout
    formdata fullscreenchange fullscreenerror gotpointercapture hashchange input invalid
    keydown keypress keyup languagechange load loadeddata loadedmetadata loadend
    loadstart lostpointercapture message messageerror mousedown mouseenter mouseleave
    mousemove mouseout mouseover mouseup mozfullscreenchange mozfullscreenerror
    mozpointerlockchange mozpointerlockerror offline online orientationchange pagehide
    pageshow paste pause play playing pointercancel pointerdown pointerenter
    pointerleave pointermove pointerout pointerover pointerup popstate progress
    ratechange rejectionhandled reset resize scroll scrollend securitypolicyviolation
    seeked seeking select selectionchange selectstart show slotchange stalled storage
    submit suspend timeupdate toggle touchcancel touchend touchmove touchstart
    transitioncancel transitionend transitionrun transitionstart unhandledrejection
    unload volumechange waiting webkitanimationend webkitanimationiteration
    webkitanimationstart webkittransitionend wheel
    afterscriptexecute beforescriptexecute devicelight devicemotion deviceorientation
    deviceproximity userproximity absolutedeviceorientation
"""
EVENT_HANDLER_ATTRIBUTES = frozenset("on" + name for name in _NAMES.split())
