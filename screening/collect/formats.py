"""Submissions as ODK, ODK Central and KoboToolbox give them, read into one shape: an id, a version and the answers.

- ODK submission XML, plain or encrypted (the manifest ``submission.xml`` with
  ``submission.xml.enc`` and any attachments beside it), alone, in a folder
  (Collect's ``instances``, Briefcase's storage) or in a zip;
- ODK Central's CSV export (group paths joined by ``-``);
- KoboToolbox's JSON export (``{"results": [...]}`` or a bare list; paths
  joined by ``/``).

Fields are read by their own name, the last part of their path: the form's
names are unique. Nothing here touches the database; every error names the file,
and the row or entry within it.
"""

import csv
import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

from screening.collect.encryption import MANIFEST_NS, DecryptionError, decrypt_file, ivs, signature_source, unwrap
from screening.i18n.lazy import lazy_gettext as _l

# Bounds on what one import may unpack: a zip that claims more is refused before it is read.
MAX_MEMBERS = 5000
MAX_UNPACKED = 200 * 1024 * 1024
ENCRYPTED_SUFFIX = ".enc"


class SubmissionError(ValueError):
    """A file, or an entry in one, that cannot be read: where, why (in the user's words) and the detail as found."""

    def __init__(self, where, reason, detail=""):
        super().__init__(where, reason, detail)
        self.where, self.reason, self.detail = where, reason, detail

    def __str__(self):
        return f"{self.where}: {self.reason}" + (f" ({self.detail})" if self.detail else "")


NOT_XML = _l("not a readable XML submission")
NO_INSTANCE = _l("no instance id, so it could be imported twice")
MISSING_FILE = _l("a file it needs is missing beside it")
SIGNATURE = _l("the files do not match their signature: damaged or changed")
UNDECRYPTABLE = _l("cannot be decrypted: made for another installation's key, or damaged")
NOT_ITS_MANIFEST = _l("the decrypted submission is not the one its manifest names")
NOT_UTF8 = _l("not UTF-8 text")
NOT_CENTRAL = _l("not an ODK Central CSV export (no instance id column)")
NOT_JSON = _l("not readable JSON")
NOT_KOBO = _l("not a KoboToolbox JSON export (no list of results)")
NOT_ENTRY = _l("not a submission")
NOT_ZIP = _l("not a readable zip file")
NONE_FOUND = _l("no submission found in it (ODK XML, ODK Central CSV or KoboToolbox JSON)")


@dataclass
class Submission:
    """One submission: where it came from, its instance id, its form and version, and its fields by name."""

    source: str
    tool: str
    instance_id: str
    form_id: str | None
    version: str | None
    values: dict = field(default_factory=dict)


def _local(tag):
    return tag.rsplit("}", 1)[-1]


def _parse_xml(data, where):
    try:
        return ElementTree.fromstring(data)
    except (ElementTree.ParseError, DefusedXmlException) as exc:
        raise SubmissionError(where, NOT_XML, str(exc)) from None


def _leaves(root):
    values = {}
    for element in root.iter():
        if len(element) == 0 and element is not root:
            values[_local(element.tag)] = (element.text or "").strip()
    return values


def _plain(root, where, tool):
    values = _leaves(root)
    instance = values.pop("instanceID", "")
    if not instance:
        raise SubmissionError(where, NO_INSTANCE)
    return Submission(where, tool, instance, root.get("id"), root.get("version"), values)


def _child_text(root, name):
    found = next((e for e in root.iter() if _local(e.tag) == name), None)
    return (found.text or "").strip() if found is not None else ""


def _encrypted(root, where, sibling, private_key):
    """Return the plain submission that an encrypted manifest stands for, its files read by ``sibling``."""
    instance = _child_text(root, "instanceID")
    wrapped = _child_text(root, "base64EncryptedKey")
    names = [(e.text or "").strip() for e in root.iter() if _local(e.tag) == "file"]
    names.append(_child_text(root, "encryptedXmlFile"))
    try:
        aes_key = unwrap(private_key, wrapped)
        plain_files = []
        for name, iv in zip(names, ivs(instance, aes_key), strict=False):
            data = sibling(name)
            if data is None:
                raise SubmissionError(where, MISSING_FILE, name)
            plain_files.append((name.removesuffix(ENCRYPTED_SUFFIX), decrypt_file(aes_key, iv, data)))
        signed = signature_source(root.get("id"), root.get("version"), wrapped, instance, plain_files)
        if unwrap(private_key, _child_text(root, "base64EncryptedElementSignature")) != signed:
            raise SubmissionError(where, SIGNATURE)
    except DecryptionError:
        raise SubmissionError(where, UNDECRYPTABLE) from None
    inner = _parse_xml(plain_files[-1][1], where)
    submission = _plain(inner, where, "odk-encrypted")
    if submission.instance_id != instance:
        raise SubmissionError(where, NOT_ITS_MANIFEST)
    return submission


def read_xml(where, data, sibling, private_key):
    """Return the submission in one XML file (None for a form definition); ``sibling(name)`` reads a file beside it."""
    root = _parse_xml(data, where)
    if _local(root.tag) == "html":
        return None  # a form definition (Briefcase keeps one beside the submissions), not a submission
    if root.tag == f"{{{MANIFEST_NS}}}data" or root.get("encrypted") == "yes":
        return _encrypted(root, where, sibling, private_key)
    return _plain(root, where, "odk-xml")


def _last(path, separator):
    return path.rsplit(separator, 1)[-1]


def read_central_csv(where, data):
    """Return the submissions of an ODK Central CSV export, one a row."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SubmissionError(where, NOT_UTF8) from None
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or not any(_last(c, "-") in ("instanceID", "KEY") for c in reader.fieldnames):
        raise SubmissionError(where, NOT_CENTRAL)
    out = []
    for number, row in enumerate(reader, start=2):
        values = {
            _last(column, "-"): (value or "").strip() for column, value in row.items() if column and "/" not in column
        }
        instance = values.pop("instanceID", "") or values.pop("KEY", "")
        if not instance:
            raise SubmissionError(f"{where}, row {number}", NO_INSTANCE)
        values["officer"] = values.get("officer") or values.get("SubmitterName", "")
        out.append(
            Submission(f"{where}, row {number}", "central-csv", instance, None, values.get("FormVersion"), values)
        )
    return out


def read_kobo_json(where, data):
    """Return the submissions of a KoboToolbox JSON export, one an entry."""
    try:
        document = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SubmissionError(where, NOT_JSON, str(exc)) from None
    entries = document.get("results") if isinstance(document, dict) else document
    if not isinstance(entries, list):
        raise SubmissionError(where, NOT_KOBO)
    out = []
    for number, entry in enumerate(entries, start=1):
        label = f"{where}, entry {number}"
        if not isinstance(entry, dict):
            raise SubmissionError(label, NOT_ENTRY)
        values = {
            _last(str(k), "/"): "" if v is None else str(v).strip()
            for k, v in entry.items()
            if not isinstance(v, (list, dict))
        }
        instance = values.pop("instanceID", "") or (f"uuid:{values['_uuid']}" if values.get("_uuid") else "")
        if not instance:
            raise SubmissionError(label, NO_INSTANCE)
        values["officer"] = values.get("officer") or values.get("_submitted_by", "")
        out.append(Submission(label, "kobo-json", instance, values.get("_xform_id_string"), None, values))
    return out


def read_files(files, private_key):
    """Return every submission in ``files`` ({path: bytes}, as a folder or a zip holds them)."""
    out = []
    for path, data in sorted(files.items()):
        suffix = PurePosixPath(path).suffix.lower()
        if suffix == ".xml":
            folder = PurePosixPath(path).parent

            def sibling(name, folder=folder):
                return files.get(str(folder / name) if str(folder) != "." else name)

            submission = read_xml(path, data, sibling, private_key)
            out += [submission] if submission else []
        elif suffix == ".csv":
            out += read_central_csv(path, data)
        elif suffix == ".json":
            out += read_kobo_json(path, data)
    return out


def unzip(where, data):
    """Return the files of a zip as {path: bytes}, refusing one that would unpack too much."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise SubmissionError(where, NOT_ZIP) from None
    members = [m for m in archive.infolist() if not m.is_dir()]
    if len(members) > MAX_MEMBERS or sum(m.file_size for m in members) > MAX_UNPACKED:
        limit = _l("too large to unpack: at most %(files)d files, %(mb)d MB", files=MAX_MEMBERS, mb=MAX_UNPACKED >> 20)
        raise SubmissionError(where, limit)
    return {m.filename: archive.read(m) for m in members}


def read(name, data, private_key, siblings=None):
    """Return the submissions in one file (XML, CSV, JSON or zip); ``siblings`` are the files beside it."""
    if PurePosixPath(name).suffix.lower() == ".zip" or data[:4] == b"PK\x03\x04":
        files = {f"{name}/{path}": content for path, content in unzip(name, data).items()}
    else:
        files = {**(siblings or {}), name: data}
    found = read_files(files, private_key)
    if not found:
        raise SubmissionError(name, NONE_FOUND)
    return found
