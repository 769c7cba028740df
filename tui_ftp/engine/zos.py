"""Pure helpers for IBM z/OS FTP servers: system detection, the dataset path model, contention, JES.

Nothing here does I/O. The engine feeds reply text in and gets structured answers out:

* :func:`is_mvs_syst` / :func:`is_zos_unix` read the SYST reply;
* :class:`MvsPath` models the working directory (a dataset-name prefix, a partitioned dataset, or
  a z/OS UNIX path) and says what to send for CWD and how to show it;
* :class:`ContentionTracker` turns the preliminary replies z/OS sends while it waits for a dataset
  another job holds (DSWAITTIME) into :class:`ContentionNotice` values;
  :func:`is_exclusive_use_failure` recognises the immediate ``550 ... used exclusively`` failure;
* :func:`job_id_from_reply` and :data:`JES_SPOOL_SEPARATOR` serve the JES interface.
"""

from __future__ import annotations

import enum
import posixpath
import re
from dataclasses import dataclass

from .errors import UsageError
from .listing.detect import is_empty_listing_reply
from .replies import parse_257

__all__ = [
    "JES_SPOOL_SEPARATOR",
    "ContentionNotice",
    "ContentionTracker",
    "MvsPath",
    "MvsPathKind",
    "is_empty_listing_reply",
    "is_exclusive_use_failure",
    "is_mvs_syst",
    "is_zos_unix",
    "job_id_from_reply",
    "member_path",
    "split_spool_files",
]

_CODE_RE = re.compile(r"(\d{3})([ -]|$)\s?")

# -- SYST ----------------------------------------------------------------------------------------

_MVS_SYST_RE = re.compile(r"(?:\d{3}[ -])?\s*MVS\b")
_UNIX_SYST_RE = re.compile(r"(?:\d{3}[ -])?\s*UNIX\b")


def is_mvs_syst(text: str) -> bool:
    """``215 MVS is the operating system of this server...`` → True (MVS right after the code)."""
    return _MVS_SYST_RE.match(text) is not None


def is_zos_unix(text: str) -> bool:
    """``215 UNIX is the operating system of this server. FTP Server is running on z/OS.``"""
    return _UNIX_SYST_RE.match(text) is not None and "z/OS" in text


# -- the path model ------------------------------------------------------------------------------


class MvsPathKind(enum.Enum):
    PREFIX = "prefix"  # a dataset-name prefix such as USER1.ALFRED. ("" is the empty prefix)
    PDS = "pds"  # inside a partitioned dataset: its members are the entries
    HFS = "hfs"  # a z/OS UNIX file system path


_BAD_NAME_CHARS = re.compile(r"[\s'\"()/\\\x00-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class MvsPath:
    """A z/OS working directory, as the pane shows it and as CWD needs it.

    ``name`` is the dataset-name prefix with its trailing dot (``USER1.ALFRED.``, or ``""`` for
    the empty prefix), the partitioned dataset's full name (``USER1.ALFRED.PDSE``), or the HFS
    path (``/tmp/x``). MVS names are stored without quotes; they are always sent quoted (fully
    qualified), so the server's own prefix never changes what a command means.
    """

    kind: MvsPathKind
    name: str

    # -- building ------------------------------------------------------------------------------
    @classmethod
    def parse(cls, text: str, *, partitioned: bool | None = None) -> MvsPath:
        """The path inside a 257/250 reply's double quotes: ``'MIKEG1.'``, ``''``, ``/tmp/x``...

        Quotes are optional. A name ending in ``.`` is a prefix; otherwise it is a partitioned
        dataset unless ``partitioned`` says otherwise.
        """
        text = text.strip()
        if text.startswith("/"):
            return cls(MvsPathKind.HFS, _hfs_path(text))
        name = _unquote(text)
        if name == "" or name.endswith("."):
            return cls(MvsPathKind.PREFIX, _checked_dsname(name))
        if partitioned is False:
            return cls(MvsPathKind.PREFIX, _checked_dsname(name) + ".")
        return cls(MvsPathKind.PDS, _checked_dsname(name))

    @classmethod
    def from_pwd_reply(cls, text: str) -> MvsPath:
        """``257 "'MIKEG1.'" is working directory.`` (or ``... partitioned data set is ...``)."""
        path = parse_257(text)
        partitioned = True if "partitioned" in text.lower() else None
        return cls.parse(path, partitioned=partitioned)

    @classmethod
    def from_cwd_reply(cls, text: str) -> MvsPath | None:
        """The new directory named by a CWD reply, or None when the reply does not say.

        ``250 "MIKEG1.TEST." is the working directory name prefix.``,
        ``250 The working directory "USER1.ALFRED.PDSE" is a partitioned data set``,
        ``250 HFS directory /tmp/x is the current working directory``.
        """
        quoted = re.search(r'"([^"]*)"', text)
        if quoted is not None:
            partitioned = "partitioned" in text.lower()
            try:
                return cls.parse(quoted.group(1), partitioned=True if partitioned else None)
            except UsageError:
                return None
        hfs = re.search(r"(?:^|\s)(/\S*)", text)
        return cls(MvsPathKind.HFS, _hfs_path(hfs.group(1))) if hfs is not None else None

    # -- moving --------------------------------------------------------------------------------
    def enter(self, name: str, *, partitioned: bool = True) -> MvsPath:
        """The directory reached by opening ``name`` listed here.

        ``name`` is relative to this prefix, fully qualified in single quotes, ``..``, or an HFS
        path. A dataset entry is a partitioned dataset (``partitioned=True``, the default) or a
        qualifier level (``Pseudo Directory`` rows: ``partitioned=False``).
        """
        if name == "..":
            return self.up()
        if name.startswith("/"):
            return MvsPath.parse(name)
        if self.kind is MvsPathKind.HFS and not name.startswith("'"):
            return MvsPath(MvsPathKind.HFS, _hfs_path(posixpath.join(self.name, name)))
        if name.startswith("'"):
            full = _unquote(name)
        elif self.kind is MvsPathKind.PDS:
            raise UsageError(f"members of {self.display()} are not directories: {name!r}")
        else:
            full = self.name + name
        if full.endswith("."):
            return MvsPath(MvsPathKind.PREFIX, _checked_dsname(full))
        kind = MvsPathKind.PDS if partitioned else MvsPathKind.PREFIX
        return MvsPath(kind, _checked_dsname(full) + ("" if partitioned else "."))

    def up(self) -> MvsPath:
        """One qualifier up; from inside a PDS back to the prefix that holds it; HFS: the parent."""
        if self.kind is MvsPathKind.HFS:
            return MvsPath(MvsPathKind.HFS, posixpath.dirname(self.name) or "/")
        parent = ".".join(self.name.rstrip(".").split(".")[:-1])
        return MvsPath(MvsPathKind.PREFIX, parent + "." if parent else "")

    # -- showing and sending -------------------------------------------------------------------
    @property
    def is_root(self) -> bool:
        return self.name in ("", "/")

    def display(self) -> str:
        """How z/OS users write it: ``'USER1.ALFRED.'``, ``'USER1.ALFRED.PDSE'``, ``''``, ``/tmp``."""
        if self.kind is MvsPathKind.HFS:
            return self.name
        return f"'{self.name}'"

    def cwd_argument(self) -> str:
        """What to send with CWD: always the fully qualified form (``''`` is the empty prefix)."""
        return self.display()

    def target(self, name: str) -> str:
        """The fully qualified argument (RETR/STOR/DELE) for an entry listed in this directory."""
        if name.startswith("'"):
            return f"'{_checked_dsname(_unquote(name))}'"
        if self.kind is MvsPathKind.HFS:
            return posixpath.join(self.name, name)
        if self.kind is MvsPathKind.PDS:
            return member_path(self.name, name)
        return f"'{_checked_dsname(self.name + name)}'"

    def member_path(self, member: str) -> str:
        """``'HLQ.PDS(MEMBER)'`` for a member of this partitioned dataset."""
        if self.kind is not MvsPathKind.PDS:
            raise UsageError(f"{self.display()} is not a partitioned data set")
        return member_path(self.name, member)


def member_path(pds: str, member: str) -> str:
    """``'HLQ.PDS(MEMBER)'`` from a dataset name (quoted or not) and a member name."""
    dataset = _checked_dsname(_unquote(pds))
    if not member or "." in member or _BAD_NAME_CHARS.search(member):
        raise UsageError(f"not a member name: {member!r}")
    return f"'{dataset}({member})'"


def _hfs_path(text: str) -> str:
    """A normalised absolute HFS path (POSIX keeps a leading ``//``; z/OS does not need it)."""
    path = posixpath.normpath(text)
    return "/" + path.lstrip("/") if path.startswith("//") else path


def _unquote(text: str) -> str:
    """``'A.B'`` → ``A.B``; unquoted text is returned as it is."""
    if len(text) >= 2 and text[0] == "'" and text[-1] == "'":
        return text[1:-1]
    if text.startswith("'"):
        raise UsageError(f"unbalanced quote in data set name: {text!r}")
    return text


def _checked_dsname(name: str) -> str:
    """A dataset name or prefix (trailing dot allowed) that is safe to quote; else UsageError."""
    body = name.removesuffix(".")
    if name == "":
        return name
    if _BAD_NAME_CHARS.search(name) or any(not qualifier for qualifier in body.split(".")):
        raise UsageError(f"not a data set name: {name!r}")
    return name


# -- dataset contention (DSWAITTIME) -------------------------------------------------------------

_UNABLE_RE = re.compile(
    r"unable\s+to\s+obtain\s+(?P<usage>\w+)\s+use\s+of\s+(?P<dataset>[^\s(]+)\s*"
    r"(?:\((?P<member>[^)\s]*)\))?(?:.*?held\s+by:?\s*(?P<holder>.*))?",
    re.IGNORECASE | re.DOTALL,
)
_RETRY_RE = re.compile(
    r"retried\s+in\s+(?P<count>\d+)\s+(?P<unit>minute|second)s?\s+intervals?"
    r"(?:.*?(?P<attempts>\d+)\s+attempts?\s+remaining)?",
    re.IGNORECASE | re.DOTALL,
)
_EXCLUSIVE_RE = re.compile(r"(\S+)\s+(?:is\s+)?used\s+exclusively\s+by", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ContentionNotice:
    """z/OS is waiting for a dataset (or member) another job holds and will retry."""

    dataset: str
    member: str  # "" for a whole dataset
    usage: str  # the access the server asked for: SHARED, EXCLUSIVE...
    holder: str  # "003D USER1 EXCL on SPFEDIT"; "" when the server hides it (REPLYSECURITYLEVEL)
    attempts_remaining: int | None
    interval_seconds: int | None

    def describe(self) -> str:
        """One line for a person: what is held, by whom, and when the server tries again."""
        what = f"{self.dataset}({self.member})" if self.member else self.dataset
        text = f"{what or 'The data set'} is held"
        if self.holder:
            text += f" by {self.holder}"
        if self.interval_seconds is not None:
            text += f"; the server retries every {self.interval_seconds} s"
        if self.attempts_remaining is not None:
            text += f", {self.attempts_remaining} attempts left"
        return text


class ContentionTracker:
    """Sans-IO reader of contention replies: feed each reply line as it arrives.

    z/OS sends ``125-FTP Server unable to obtain SHARED use of DSN (MEM) which`` then a line
    without a code (``is held by: 003D USER1 EXCL on SPFEDIT``), then ``125-Data set access will
    be retried in 1 minute intervals - 2 attempts remaining``. :meth:`feed` returns a notice when
    the retry line completes one; an "unable" message not followed by a retry line is reported
    (with unknown attempts) when the next coded line arrives.
    """

    def __init__(self) -> None:
        self._pending: list[str] | None = None

    def feed(self, line: str) -> ContentionNotice | None:
        """Take one reply line (with or without its code); return a notice when one is complete."""
        code_match = _CODE_RE.match(line)
        if code_match is None:
            if self._pending is not None:
                self._pending.append(line.strip())
            return None
        body = line[code_match.end() :].strip()
        if _RETRY_RE.search(body) is not None:
            return self._complete(body)
        flushed = self._flush()
        if _UNABLE_RE.search(body) is not None:
            self._pending = [body]
        return flushed

    def _complete(self, retry_text: str) -> ContentionNotice:
        retry = _RETRY_RE.search(retry_text)
        assert retry is not None
        seconds = int(retry["count"]) * (60 if retry["unit"].lower() == "minute" else 1)
        attempts = int(retry["attempts"]) if retry["attempts"] is not None else None
        text = " ".join(self._pending or ())
        self._pending = None
        return _notice(text, attempts, seconds)

    def _flush(self) -> ContentionNotice | None:
        if self._pending is None:
            return None
        text = " ".join(self._pending)
        self._pending = None
        return _notice(text, None, None)


def _notice(unable_text: str, attempts: int | None, seconds: int | None) -> ContentionNotice:
    match = _UNABLE_RE.search(unable_text)
    if match is None:
        return ContentionNotice("", "", "", "", attempts, seconds)
    holder = " ".join((match["holder"] or "").split()).rstrip(".")
    return ContentionNotice(match["dataset"], match["member"] or "", match["usage"].upper(), holder, attempts, seconds)


def is_exclusive_use_failure(reply_text: str) -> str | None:
    """``550 USER1.ALFRED.PDSE(CS4) used exclusively by someone else.`` → ``USER1.ALFRED.PDSE(CS4)``."""
    match = _EXCLUSIVE_RE.search(reply_text)
    return match.group(1).strip("'\"") if match is not None else None


# -- JES -----------------------------------------------------------------------------------------

#: The line a whole-job download puts between two spool files.
JES_SPOOL_SEPARATOR = " !! END OF JES SPOOL FILE !!"

_JOB_ID_RE = re.compile(r"known\s+to\s+JES\s+as\s+([A-Za-z0-9]+)", re.IGNORECASE)


def job_id_from_reply(text: str) -> str | None:
    """``250-It is known to JES as J0887745`` → ``J0887745`` (None when the reply has no job id)."""
    match = _JOB_ID_RE.search(text)
    return match.group(1) if match is not None else None


def split_spool_files(text: str) -> list[str]:
    """A whole-job download (text) split into its spool files at the separator lines."""
    files: list[list[str]] = [[]]
    for line in text.splitlines(keepends=True):
        if line.rstrip("\r\n") == JES_SPOOL_SEPARATOR:
            files.append([])
        else:
            files[-1].append(line)
    return ["".join(lines) for lines in files if lines]
