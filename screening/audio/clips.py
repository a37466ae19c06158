"""Audio clips as they arrive: Opus in Ogg or in WebM, read far enough to know the format and the length.

A clip is accepted only if it is what it says: an Ogg stream whose first packet
is an Opus header, or a WebM file (Matroska, DocType "webm") with one audio
track coded in Opus, as browsers record with MediaRecorder and phones' voice
recorders save. Its length comes from the stream itself (the last granule
position for Ogg; the last block's time for WebM, which MediaRecorder leaves
without a duration). Anything else, anything too long or too short, and
anything coded at more than a speech rate is refused with a reason.
"""

import struct

OGG, WEBM = "audio/ogg", "audio/webm"
EXTENSIONS = {OGG: "ogg", WEBM: "webm"}
MIN_MS, MAX_MS = 300, 60_000
MAX_BYTES = 256 * 1024
# 64 kbit/s: speech needs 16 to 24; a clip above this was not recorded for speech.
MAX_BYTES_PER_SECOND = 8_000
OPUS_RATE = 48_000


class ClipError(ValueError):
    """A clip that is not Opus audio of an acceptable length and rate; ``reason`` says which, the message how."""

    def __init__(self, detail, reason="format"):
        super().__init__(detail)
        self.reason = reason


def _ogg_pages(data):
    offset = 0
    while offset < len(data):
        if data[offset : offset + 4] != b"OggS" or len(data) < offset + 27:
            raise ClipError("not an Ogg stream")
        granule, serial = struct.unpack_from("<qI", data, offset + 6)
        segments = data[offset + 26]
        table = data[offset + 27 : offset + 27 + segments]
        if len(table) != segments:
            raise ClipError("a cut-off Ogg page")
        start = offset + 27 + segments
        end = start + sum(table)
        if end > len(data):
            raise ClipError("a cut-off Ogg page")
        yield granule, serial, data[start:end]
        offset = end


def ogg_duration_ms(data):
    """Return the length of an Ogg Opus stream in milliseconds."""
    pages = list(_ogg_pages(data))
    if not pages or not pages[0][2].startswith(b"OpusHead") or len(pages[0][2]) < 19:
        raise ClipError("an Ogg stream that is not Opus")
    if len({serial for _granule, serial, _body in pages}) != 1:
        raise ClipError("an Ogg file with more than one stream")
    pre_skip = struct.unpack_from("<H", pages[0][2], 10)[0]
    last = max(granule for granule, _serial, _body in pages)
    return max(0, (last - pre_skip) * 1000 // OPUS_RATE)


def _vint(data, offset, keep_marker=False):
    """Read an EBML variable-length integer; return (value, length, all ones)."""
    if offset >= len(data):
        raise ClipError("a cut-off WebM element")
    first = data[offset]
    length = 1
    while length <= 8 and not first & (0x80 >> (length - 1)):
        length += 1
    if length > 8 or offset + length > len(data):
        raise ClipError("a malformed WebM element")
    value = first if keep_marker else first & (0xFF >> length)
    for byte in data[offset + 1 : offset + length]:
        value = (value << 8) | byte
    unknown = not keep_marker and value == (1 << (7 * length)) - 1
    return value, length, unknown


# Elements walked into (whatever their size: MediaRecorder leaves the segment's and clusters' open).
_CONTAINERS = {0x18538067, 0x1F43B675, 0x1654AE6B, 0xAE, 0x1549A966, 0xA0}
_EBML, _DOCTYPE, _CODEC, _TRACK_TYPE, _SCALE = 0x1A45DFA3, 0x4282, 0x86, 0x83, 0x2AD7B1
_TIMECODE, _SIMPLE_BLOCK, _BLOCK, _TRACK_ENTRY = 0xE7, 0xA3, 0xA1, 0xAE


def webm_duration_ms(data):
    """Return the length of a WebM file with one Opus audio track, in milliseconds."""
    if not data.startswith(b"\x1a\x45\xdf\xa3"):
        raise ClipError("not a WebM file")
    found = {"doctype": None, "codecs": [], "types": [], "scale": 1_000_000, "tracks": 0}
    cluster, last = 0, 0
    offset = 0
    while offset < len(data):
        element, id_length, _ = _vint(data, offset, keep_marker=True)
        size, size_length, unknown = _vint(data, offset + id_length)
        body = offset + id_length + size_length
        if element in _CONTAINERS or element == _EBML:
            found["tracks"] += element == _TRACK_ENTRY
            offset = body
            continue
        if unknown or body + size > len(data):
            raise ClipError("a cut-off WebM element")
        payload = data[body : body + size]
        number = int.from_bytes(payload, "big") if size <= 8 else 0
        if element == _DOCTYPE:
            found["doctype"] = payload.rstrip(b"\0").decode("ascii", "replace")
        elif element == _CODEC:
            found["codecs"].append(payload.rstrip(b"\0").decode("ascii", "replace"))
        elif element == _TRACK_TYPE:
            found["types"].append(number)
        elif element == _SCALE:
            found["scale"] = number or 1_000_000
        elif element == _TIMECODE:
            cluster = number
        elif element in (_SIMPLE_BLOCK, _BLOCK) and size >= 4:
            _track, track_length, _ = _vint(payload, 0)
            relative = struct.unpack_from(">h", payload, track_length)[0]
            last = max(last, cluster + relative)
        offset = body + size
    if found["doctype"] != "webm":
        raise ClipError("a Matroska file that is not WebM")
    if found["tracks"] != 1 or found["types"] != [2] or found["codecs"] != ["A_OPUS"]:
        raise ClipError("a WebM file that is not one Opus audio track")
    # The last block starts at ``last``; an Opus frame from a recorder lasts 20 ms.
    return last * found["scale"] // 1_000_000 + 20


def check(data):
    """Return (mime type, length in ms) for an acceptable clip; raise ClipError with the reason otherwise.

    The bytes decide what a clip is, never the type a browser or a file name claims.
    """
    if len(data) > MAX_BYTES:
        raise ClipError(f"larger than {MAX_BYTES // 1024} KB", "size")
    if data.startswith(b"OggS"):
        kind, duration = OGG, ogg_duration_ms(data)
    elif data.startswith(b"\x1a\x45\xdf\xa3"):
        kind, duration = WEBM, webm_duration_ms(data)
    else:
        raise ClipError("neither Ogg nor WebM audio")
    if not MIN_MS <= duration <= MAX_MS:
        raise ClipError(f"{duration / 1000:.1f} s long: a clip lasts {MIN_MS / 1000} to {MAX_MS // 1000} s", "length")
    if len(data) * 1000 > MAX_BYTES_PER_SECOND * max(duration, 1000):
        raise ClipError("coded at more than 64 kbit/s: record speech at 16 to 24 kbit/s", "rate")
    return kind, duration
