"""Opus clips made for tests: a real Ogg Opus stream and a WebM file as MediaRecorder writes one.

The packets are 20 ms CELT frames (TOC 0xF8) of a chosen size, so that a clip
has the length and the bit rate a test wants; a decoder plays them as noise.
"""

import random
import struct


def _crc_table():
    table = []
    for i in range(256):
        r = i << 24
        for _ in range(8):
            r = ((r << 1) ^ 0x04C11DB7) if r & 0x80000000 else (r << 1)
        table.append(r & 0xFFFFFFFF)
    return table


_TABLE = _crc_table()


def _crc(data):
    crc = 0
    for byte in data:
        crc = ((crc << 8) & 0xFFFFFFFF) ^ _TABLE[((crc >> 24) & 0xFF) ^ byte]
    return crc


def _page(packets, granule, sequence, flags, serial=0x5C12):
    table = b""
    for packet in packets:
        table += b"\xff" * (len(packet) // 255) + bytes([len(packet) % 255])
    header = struct.pack("<4sBBqIIIB", b"OggS", 0, flags, granule, serial, sequence, 0, len(table) // 1)
    page = header + table + b"".join(packets)
    return page[:22] + struct.pack("<I", _crc(page)) + page[26:]


def _packets(seconds, bytes_per_second, seed):
    rng = random.Random(seed)  # noqa: S311 - the noise of a test clip, no secret
    size = max(1, bytes_per_second // 50 - 1)
    return [b"\xf8" + rng.randbytes(size) for _ in range(int(seconds * 50))]


def ogg_opus(seconds=2.0, bytes_per_second=2000, seed=1, serial=0x5C12):
    """Return an Ogg Opus stream of ``seconds`` at about ``bytes_per_second``."""
    pre_skip = 312
    head = b"OpusHead" + struct.pack("<BBHIhB", 1, 1, pre_skip, 48000, 0, 0)
    vendor = b"screening tests"
    tags = b"OpusTags" + struct.pack("<I", len(vendor)) + vendor + struct.pack("<I", 0)
    pages = [_page([head], 0, 0, 0x02, serial), _page([tags], 0, 1, 0, serial)]
    packets = _packets(seconds, bytes_per_second, seed)
    granule = pre_skip
    for number, start in enumerate(range(0, len(packets), 50)):
        chunk = packets[start : start + 50]
        granule += 960 * len(chunk)
        last = start + 50 >= len(packets)
        pages.append(_page(chunk, granule, number + 2, 0x04 if last else 0, serial))
    return b"".join(pages)


def _element(element_id, payload, unknown=False):
    if unknown:
        return element_id + b"\x01\xff\xff\xff\xff\xff\xff\xff" + payload
    return element_id + (0x10000000 | len(payload)).to_bytes(4, "big") + payload


def webm_opus(seconds=2.0, bytes_per_second=2000, seed=1, codec=b"A_OPUS"):
    """Return a WebM file with one Opus track, open-ended segment and clusters as MediaRecorder leaves them."""
    header = _element(b"\x1a\x45\xdf\xa3", _element(b"\x42\x82", b"webm") + _element(b"\x42\x87", b"\x04"))
    info = _element(b"\x15\x49\xa9\x66", _element(b"\x2a\xd7\xb1", (1_000_000).to_bytes(3, "big")))
    entry = _element(b"\xd7", b"\x01") + _element(b"\x83", b"\x02") + _element(b"\x86", codec)
    tracks = _element(b"\x16\x54\xae\x6b", _element(b"\xae", entry))
    blocks = b""
    for index, packet in enumerate(_packets(seconds, bytes_per_second, seed)):
        blocks += _element(b"\xa3", b"\x81" + struct.pack(">h", index * 20) + b"\x80" + packet)
    cluster = _element(b"\x1f\x43\xb6\x75", _element(b"\xe7", b"\x00") + blocks, unknown=True)
    return header + _element(b"\x18\x53\x80\x67", info + tracks + cluster, unknown=True)
