"""socklab_lab -- the vocabulary a socklab lab is written in, for Python.

The same words as src/lab/lab.h, the same events (docs/protocol.md), so a
Python lab is a lab like any other for socklab run, check and dash.  A lab
is an ordinary Python program: it calls socket(), setsockopt(), bind(),
sendto() and recvfrom() itself.  These functions only narrate and check:

    lab(num, slug, title, summary)      names the lab, first
    step(title, why, *args)             starts a step; the runner may pause here.
                                        title and why are %-formats, args fill
                                        the title's conversions, then the why's:
                                        step("bind 127.0.0.1:%d", "free", LAB_PORT)
    ask(question, *args)                the question the next step answers
    expect_ok(lambda: call)             the call must not raise OSError;
                                        returns its result
    expect_err(errno.EXX, lambda: call) the call must raise OSError with EXX
    expect_true(cond)                   a fact about the outcome must hold
    note(text, *args)                   a remark (a %-format, as step's)
    as_expected()                       True while every expectation of this
                                        step held: `if as_expected(): note(...)`
    claim("id")                         this step proves rule "id" of
                                        docs/claims.md (as CLAIM in C)
    for _ in role("name"):              the block runs in process "name"
    skip(text, *args)                   what follows cannot run here; then end()
    LAB_PORT                            the lab's first port (5000 in a sandbox)
    end()                               the last line: exits with the lab's status

The call is a lambda so that the runtime makes it: an OSError is the
kernel's answer (its errno), not a crash.  Its source text, read back from
the lab's file, is what the event shows ("s.bind(addr)"); the line is the
line of the expect_ call, so the dashboard highlights the Python source.

A call's result becomes the event's `ret` as C's would read: None is 0, a
socket its descriptor, bytes their length; recvfrom's (data, address) is
the length, and the payload and sender go with the event (`data`, `from`).

Roles are processes, as in C: the first `for _ in role("server"):` block
forks a process for "server"; its later blocks run in that same process.
Blocks run one at a time in source order.  Every process runs the file
from the top and skips the blocks that are not its own.  Standard library
only (ctypes for unshare and prctl).

Texts are %-formats with their arguments, not f-strings: the consumer
translates a lab's narration (docs/protocol.md, "The words before
printf"), looking the format up in socklab's catalog and filling it
with the lab's own arguments.

Alone (python3 labs/py/07py-the-story.py), a lab enters a fresh network
namespace when it can (SOCKLAB_HOST=1 keeps it on this host's loopback)
and narrates on stdout.
"""

import ast
import atexit
import ctypes
import errno
import fcntl
import linecache
import mmap
import os
import re
import socket
import struct
import sys
import time
import traceback

__all__ = ["lab", "step", "ask", "expect_ok", "expect_err", "expect_true", "note",
           "as_expected", "claim", "role", "skip", "end", "LAB_PORT", "sandboxed"]


def _env_int(name, default):
    try:
        return int(os.environ.get(name, ""))
    except ValueError:
        return default


LAB_PORT = _env_int("SOCKLAB_PORT_BASE", 5000)

# ---- the wire: docs/protocol.md ---------------------------------------

LINE_MAX = 4096
# per kind: its fields in wire order (src/lab/proto.c's table); numbers
# first, strings last, so a line cut to fit loses prose, not numbers
_KINDS = {
    "lab": ("num", "pid", "port", "sandbox", "slug", "file", "title", "text"),
    "role": ("pid", "line", "name"),
    "step": ("step", "pid", "line", "role", "title", "why", "ask", "args", "askargs", "fmt",
             "askfmt"),
    "call": ("pid", "line", "ret", "err", "want", "ok", "observe", "role", "from", "data", "expr"),
    "check": ("pid", "line", "ok", "role", "expr"),
    "claim": ("pid", "line", "step", "role", "id"),
    "note": ("pid", "line", "role", "text", "args", "fmt"),
    "error": ("pid", "line", "role", "text", "args", "fmt"),
    "end": ("pass", "fail", "errors", "skip"),
    "skip": ("pid", "line", "role", "text", "args", "fmt"),
}
# each string as the C runtime holds it (struct proto_event's buffers, NUL
# included): cut to the same bytes, a line is the same line
_STRINGS = {"role": 32, "name": 32, "id": 64, "slug": 64, "file": 256, "title": 256, "why": 512,
            "ask": 256, "expr": 512, "text": 1024, "data": 96, "from": 64,
            "fmt": 768, "args": 1024, "askfmt": 256, "askargs": 128}
_OPTIONAL = {"observe"}


def _escape(text, size):
    """Every byte outside ! .. ~, and % and =, as %XX; the UTF-8 bytes cut
    to size - 1, as C's snprintf into a buffer of size would."""
    out = []
    for b in text.encode("utf-8", "replace")[:size - 1]:
        out.append("%%%02X" % b if b <= 0x20 or b > 0x7E or b in (0x25, 0x3D) else chr(b))
    return out


def encode(kind, ev):
    """One event as its line, cut to LINE_MAX - 1 bytes with its newline."""
    line = kind
    room = LINE_MAX - 2
    for key in _KINDS[kind]:
        value = ev.get(key, "" if key in _STRINGS else 0)
        if key in _STRINGS:
            if not value:
                continue
            if len(line) + len(key) + 2 > room:
                break
            line += " " + key + "="
            for piece in _escape(str(value), _STRINGS[key]):
                if len(line) + len(piece) > room:
                    break
                line += piece
        else:
            if value == 0 and key in _OPTIONAL:
                continue
            item = " %s=%d" % (key, int(value))
            if len(line) + len(item) > room:
                break
            line += item
    return line + "\n"


# ---- the run's state ---------------------------------------------------

# Shared by every process of the run (an anonymous mmap is MAP_SHARED):
# turn, finished, aborted, step, pass, fail, errors, skip, fail_at_step.
_FIELDS = ("turn", "finished", "aborted", "step", "pass", "fail", "errors", "skip",
           "fail_at_step")
_LAYOUT = struct.Struct("<9i")


class _Shared:
    def __init__(self):
        self.mem = mmap.mmap(-1, mmap.PAGESIZE)

    def get(self, name):
        return _LAYOUT.unpack_from(self.mem, 0)[_FIELDS.index(name)]

    def set(self, name, value):
        struct.pack_into("<i", self.mem, 4 * _FIELDS.index(name), value)

    # after the counters: which lines' claim() ran, in any process (a bit
    # per line), so main can name the ones no process reached
    _MARKS = 64

    def mark(self, line):
        if 0 < line < 8 * (mmap.PAGESIZE - self._MARKS):
            i = self._MARKS + line // 8
            self.mem[i] = self.mem[i] | (1 << (line % 8))

    def marked(self, line):
        if 0 < line < 8 * (mmap.PAGESIZE - self._MARKS):
            return bool(self.mem[self._MARKS + line // 8] & (1 << (line % 8)))
        return False

    def add(self, name, n=1):
        # one block runs at a time: no two processes add at once
        value = self.get(name) + n
        self.set(name, value)
        return value


class _Run:
    info = None
    attached = False
    ctl = -1
    gate = -1
    sandboxed = 0
    main_pid = 0
    role = ""
    roles_exist = False
    block = 0
    cur_block = 0
    in_block = False
    procs = {}          # role name -> pid (main's)
    shared = None
    asked = ("", "", "")	# ask()'s question, its format and arguments
    file = ""           # the lab's own source: where its lines are
    pending = -1        # a block left by break/return: the turn to hand on
    ended = False


_rt = _Run()


def sandboxed():
    """1 in a fresh network namespace, 0 on the host's stack."""
    return _rt.sandboxed


def _write(fd, text):
    # protocol lines are ASCII already (escaped); narration is the
    # terminal's text, UTF-8 as the C runtime writes it
    try:
        os.write(fd, text.encode("utf-8", "replace"))
    except OSError:
        os._exit(1)     # the consumer is gone: so is the reason to run


def _emit(kind, **ev):
    ev.setdefault("pid", os.getpid())
    ev.setdefault("role", _rt.role)
    if _rt.attached:
        _write(_rt.ctl, encode(kind, ev))
    else:
        _narrate(kind, ev)


def _wait_for_go():
    if _rt.gate < 0:
        return
    while True:
        try:
            c = os.read(_rt.gate, 1)
        except InterruptedError:
            continue
        except OSError:
            os._exit(1)
        if not c:
            os._exit(1)
        if c == b"\n":
            return


# ---- narration, for a lab on its own -----------------------------------

def _spell(err):
    if err == 0:
        return "success"
    return "%s %d" % (errno.errorcode.get(err, "errno"), err)


def _say(text):
    _write(1, text)


def _narrate(kind, ev):
    who = "[%s] " % ev["role"] if ev.get("role") else ""
    mark = "ok" if ev.get("ok") else "FAIL"
    if kind == "lab":
        _say("Lab %s: %s\n%s\n%s\n" % (_rt.info["key"], ev["title"], ev["text"],
             "(in a fresh network namespace: only lo, no other sockets)" if ev["sandbox"]
             else "(on this host's loopback)"))
    elif kind == "role":
        _say("  role %s is pid %d\n" % (ev["name"], ev["pid"]))
    elif kind == "step":
        _say("\n%sStep %d: %s\n  why: %s\n" % (who, ev["step"], ev["title"], ev["why"]))
    elif kind == "call":
        said = _spell(ev["err"]) if ev["ret"] == -1 else str(ev["ret"])
        extra = ""
        if ev.get("data"):
            extra = ': "%s" from %s' % (ev["data"], ev.get("from", "?"))
        if ev["ret"] == -1:
            _say("  %s %sline %d: %s = -1 %s (%s)\n" % (mark, who, ev["line"], ev["expr"],
                 said, os.strerror(ev["err"])))
        else:
            _say("  %s %sline %d: %s = %s%s\n" % (mark, who, ev["line"], ev["expr"], said, extra))
        if not ev["ok"]:
            _say("  %s     expected %s\n" % (who, _spell(ev["want"])))
    elif kind == "check":
        _say("  %s %sline %d: %s  %s\n" % (mark, who, ev["line"], ev["expr"],
             "holds" if ev["ok"] else "does not hold"))
    elif kind == "note":
        _say("  %snote: %s\n" % (who, ev["text"]))
    elif kind == "skip":
        _say("  %sskipped: %s\n" % (who, ev["text"]))
    elif kind == "error":
        _write(2, "%s: %slab error at line %d: %s\n" % (_rt.info["slug"], who, ev["line"],
               ev["text"]))
    elif kind == "claim":
        pass    # whether it was proven is the consumer's to say (claim.c)
    elif kind == "end":
        total = "%d of %d expectations met" % (ev["pass"], ev["pass"] + ev["fail"])
        _say("\n%s%s\n" % (total, ": see FAIL above" if ev["fail"] else
             ", but the lab went wrong: see above" if ev["errors"] else "."))


# ---- set up ------------------------------------------------------------

_libc = ctypes.CDLL(None, use_errno=True)
CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000
PR_SET_PDEATHSIG = 1
SIOCGIFFLAGS = 0x8913
SIOCSIFFLAGS = 0x8914
IFF_UP = 0x1


def _write_file(path, text):
    with open(path, "w") as f:
        f.write(text)


def _sandbox_enter():
    """A fresh network namespace with lo up, as src/sandbox/sandbox.c
    makes one: (0, "") or (errno, what failed)."""
    what = "unshare(CLONE_NEWNET)"
    try:
        if os.geteuid() == 0:
            if _libc.unshare(CLONE_NEWNET) < 0:
                return ctypes.get_errno(), what
        else:
            uid, gid = os.getuid(), os.getgid()
            what = "unshare(CLONE_NEWUSER | CLONE_NEWNET)"
            if _libc.unshare(CLONE_NEWUSER | CLONE_NEWNET) < 0:
                return ctypes.get_errno(), what
            what = "write /proc/self/setgroups"
            _write_file("/proc/self/setgroups", "deny")
            what = "write /proc/self/uid_map"
            _write_file("/proc/self/uid_map", "0 %d 1" % uid)
            what = "write /proc/self/gid_map"
            _write_file("/proc/self/gid_map", "0 %d 1" % gid)
        what = "bring lo up"
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            ifr = struct.pack("16sh22x", b"lo", 0)
            flags = struct.unpack("16sh22x", fcntl.ioctl(s.fileno(), SIOCGIFFLAGS, ifr))[1]
            fcntl.ioctl(s.fileno(), SIOCSIFFLAGS, struct.pack("16sh22x", b"lo", flags | IFF_UP))
    except OSError as e:
        return e.errno or errno.EIO, what
    return 0, ""


def lab(num, slug, title, summary, key=None):
    """Name the lab and start its run: attached to socklab (which set the
    sandbox up) when SOCKLAB_CONTROL_FD is set, else alone."""
    _rt.info = {"num": num, "slug": slug, "title": title, "summary": summary,
                "key": key or "%02d" % num}
    _rt.main_pid = os.getpid()
    _rt.shared = _Shared()
    _rt.file = _caller().f_code.co_filename
    sys.excepthook = _crashed
    # the lab's own print()s in order with the narration, piped or not
    sys.stdout.reconfigure(line_buffering=True)
    atexit.register(_forgot_end)
    if "SOCKLAB_CONTROL_FD" in os.environ:
        _rt.ctl = _env_int("SOCKLAB_CONTROL_FD", -1)
        _rt.gate = _env_int("SOCKLAB_GATE_FD", -1)
        if _rt.ctl < 0:
            _write(2, "%s: SOCKLAB_CONTROL_FD is not a number\n" % slug)
            os._exit(2)
        _rt.attached = True
        _rt.sandboxed = _env_int("SOCKLAB_SANDBOX", 0)
    elif _env_int("SOCKLAB_HOST", 0):
        _rt.sandboxed = 0
    else:
        err, what = _sandbox_enter()
        if err:
            # the sandbox keeps a lab's traffic off the real network:
            # without it is the user's explicit choice
            _write(2, "%s: cannot make a sandbox (%s: %s); set SOCKLAB_HOST=1 to run on "
                   "this host's loopback instead\n" % (slug, what, os.strerror(err)))
            os._exit(2)
        _rt.sandboxed = 1
    _emit("lab", num=num, port=LAB_PORT, sandbox=_rt.sandboxed, slug=slug,
          file=os.path.abspath(sys.argv[0]), title=title, text=summary)


# ---- where a call is in the source -------------------------------------

_trees = {}


def _caller():
    """The lab's frame that called us (the first outside this module)."""
    f = sys._getframe(1)
    while f and f.f_code.co_filename == __file__:
        f = f.f_back
    return f


def _tree(path):
    if path not in _trees:
        try:
            with open(path, encoding="utf-8") as f:
                src = f.read()
            _trees[path] = (src, ast.parse(src))
        except (OSError, SyntaxError, ValueError):
            _trees[path] = (None, None)
    return _trees[path]


def _site(name):
    """(line, source text) of the call to name() the lab is in: the text
    of its lambda's body (expect_ok/err) or of its argument (expect_true)."""
    f = _caller()
    line = f.f_lineno
    src, tree = _tree(f.f_code.co_filename)
    best = None
    if tree is not None:
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and
                    node.func.id == name and node.lineno <= line <= node.end_lineno):
                if best is None or node.lineno >= best.lineno:
                    best = node
    if best is None or not best.args:
        return line, linecache.getline(f.f_code.co_filename, line).strip()
    arg = best.args[-1] if name != "expect_true" else best.args[0]
    if isinstance(arg, ast.Lambda):
        arg = arg.body
    text = ast.get_source_segment(src, arg) or ""
    return best.lineno, " ".join(text.split())


def _line():
    return _caller().f_lineno


# ---- steps and expectations -------------------------------------------

def _error(line, text):
    _rt.shared.add("errors")
    _emit("error", line=line, text=text)


def _placement(what, line):
    """Once roles exist, code outside a role block runs in every process."""
    if _rt.roles_exist and not _rt.in_block:
        _error(line, "%s outside a role block: once a lab has roles, every step and "
               "check belongs inside one" % what)


def _started(what):
    if _rt.shared is None:
        raise RuntimeError(f"{what}() before lab(): a lab starts with lab(num, slug, "
                           "title, summary)")


# A conversion of a %-format: what each argument was printed with.
_CONVERSION = re.compile(r"%[-+ #0]*[0-9]*(?:\.[0-9]+)?[diouxXeEfFgGcrs%]")
_SEP = "\x1f"


def _printf(fmt, args):
    """fmt % args, and beside it the words before printf (docs/protocol.md):
    the format and each argument printed alone by its own conversion, for
    a consumer that translates; "" and "" when the format is the text."""
    if not args:
        return fmt, "", ""
    text = fmt % tuple(args)
    specs = [c for c in _CONVERSION.findall(fmt) if c != "%%"]
    if len(specs) != len(args):
        return text, "", ""
    alone = [spec % (arg,) for spec, arg in zip(specs, args)]
    if any(_SEP in a for a in alone):
        return text, "", ""
    return text, fmt, _SEP.join(alone)


def step(title, why="", *args):
    """A step: title and why are %-formats, args fill the title's
    conversions, then the why's (as C's STEP): step("binds 127.0.0.1:%d",
    "free", LAB_PORT)."""
    _started("step")
    line = _line()
    _placement("step", line)
    n = _rt.shared.add("step")
    _rt.shared.set("fail_at_step", _rt.shared.get("fail"))
    both, fmt, alone = _printf(title + _SEP + why, args)
    title, why = both.split(_SEP, 1)
    _emit("step", step=n, line=line, title=title, why=why, ask=_rt.asked[0],
          askfmt=_rt.asked[1], askargs=_rt.asked[2], fmt=fmt, args=alone)
    _rt.asked = ("", "", "")
    _wait_for_go()


def ask(question, *args):
    _rt.asked = _printf(question, args)


def as_expected():
    return _rt.shared.get("fail") == _rt.shared.get("fail_at_step")


def _payload(data):
    """As outcome_payload: printable ASCII as is, escapes, cut with ..."""
    out = ""
    for i, b in enumerate(data):
        one = {10: "\\n", 9: "\\t", 13: "\\r", 34: '\\"', 92: "\\\\"}.get(b)
        if one is None:
            one = chr(b) if 32 <= b <= 126 else "\\x%02x" % b
        if len(out) + len(one) + (3 if i + 1 < len(data) else 0) >= 96:
            return out + "..."
        out += one
    return out


def _address(addr):
    if isinstance(addr, tuple) and len(addr) >= 2:
        host = addr[0]
        return ("[%s]:%d" if ":" in host else "%s:%d") % (host, addr[1])
    if isinstance(addr, str):
        return "unix:" + addr
    return ""


def _result(value, ev):
    """The result as C's call would have returned it (0 for what has no
    such number, an int beyond C's long among them)."""
    if value is None or isinstance(value, bool):
        return int(bool(value))
    if isinstance(value, int):
        return value if -2**63 <= value < 2**63 else 0
    if isinstance(value, socket.socket):
        return value.fileno()
    # what a receive got travels with its event (a recv*() call only:
    # getsockopt's bytes are not a datagram)
    receive = bool(re.search(r"\brecv\w*\(", ev.get("expr", "")))
    if isinstance(value, (bytes, bytearray)):
        if receive:
            ev["data"] = _payload(value)
        return len(value)
    if (isinstance(value, tuple) and len(value) == 2 and
            isinstance(value[0], (bytes, bytearray))):
        if receive:
            ev["data"] = _payload(value[0])
            ev["from"] = _address(value[1])
        return len(value[0])
    return 0


def _expect(name, want, call):
    _started(name)
    if not callable(call):
        raise TypeError(f"{name}() takes the call as a lambda, so that the runtime makes "
                        f"it: {name}(lambda: s.bind(addr))")
    line, expr = _site(name)
    _placement("expect", line)
    ev = {"line": line, "expr": expr, "want": want}
    value = None
    try:
        value = call()
        ev["ret"], ev["err"] = _result(value, ev), 0
    except OSError as e:
        # the kernel's answer is an errno; an OSError without one
        # (settimeout's timeout, getaddrinfo's gaierror) is Python's,
        # not the kernel's: the lab's error, at its line
        if not isinstance(e.errno, int) or e.errno <= 0 or isinstance(e, socket.gaierror):
            raise
        ev["ret"], ev["err"] = -1, e.errno
        ev.pop("data", None)
        ev.pop("from", None)
    ev["ok"] = int(ev["err"] == want if want else ev["ret"] != -1)
    _rt.shared.add("pass" if ev["ok"] else "fail")
    _emit("call", **ev)
    return value


def expect_ok(call):
    """call() must succeed; its result, or None when it raised OSError."""
    return _expect("expect_ok", 0, call)


def expect_err(want, call):
    """call() must raise OSError with errno want."""
    return _expect("expect_err", want, call)


def expect_true(cond):
    _started("expect_true")
    line, expr = _site("expect_true")
    _placement("expect_true", line)
    ok = int(bool(cond))
    _rt.shared.add("pass" if ok else "fail")
    _emit("check", line=line, ok=ok, expr=expr)
    return bool(cond)


def claim(rule):
    """This step proves rule `rule` of docs/claims.md: proven when the
    step's expectations (one at least) all held (src/lab/claim.c decides)."""
    _started("claim")
    line = _line()
    _placement("claim", line)
    n = _rt.shared.get("step")
    if n == 0:
        _error(line, f'claim("{rule}") before the first step: a claim belongs to the '
               "step whose expectations prove it")
        return
    _rt.shared.mark(line)
    _emit("claim", line=line, step=n, id=rule)


def _unreached_claims():
    """Before the end: every claim() of the lab's file the run did not
    reach (a skip, a branch not taken), as a claim event of step 0."""
    src, tree = _tree(_rt.file)
    if tree is None:
        return
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and
                node.func.id == "claim" and node.args and
                isinstance(node.args[0], ast.Constant) and
                not _rt.shared.marked(node.lineno)):
            _emit("claim", line=node.lineno, step=0, id=str(node.args[0].value))


def note(text, *args):
    _started("note")
    text, fmt, alone = _printf(text, args)
    _emit("note", line=_line(), text=text, fmt=fmt, args=alone)


def skip(text, *args):
    _rt.shared.add("skip")
    text, fmt, alone = _printf(text, args)
    _emit("skip", line=_line(), text=text, fmt=fmt, args=alone)


def _crashed(kind, value, tb):
    """An exception the lab did not expect: an error event at the lab's
    own line it came through, as a C lab's role that died is one, and
    Python's traceback on stderr.  ^C stops the lab quietly."""
    line = 0
    if kind is KeyboardInterrupt:
        _abort()
        _exit(130)
    traceback.print_exception(kind, value, tb)
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == _rt.file:
            line = tb.tb_lineno
        tb = tb.tb_next
    if _rt.info:
        _error(line, "%s: %s" % (kind.__name__, value))
    _abort()
    _exit(1)


def _exit(status):
    """os._exit, after what print() still holds."""
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    os._exit(status)


def _forgot_end():
    """At exit without end(): say so, and end as end() would."""
    if _rt.ended or _rt.shared is None:
        return
    if not _rt.role:
        _error(0, "the lab ended without end(): its last line is end()")
    end()


# ---- roles -------------------------------------------------------------

def _abort():
    if _rt.shared is not None:
        _rt.shared.set("aborted", 1)


def _wait_word(name, want, line):
    """Until the shared word is want.  No time limit (run --step waits as
    long as the user reads); a role whose main is gone exits; main
    notices a role that died."""
    spins = 0
    while True:
        if _rt.shared.get(name) == want:
            return True
        if _rt.shared.get("aborted"):
            return False
        if _rt.role and os.getppid() != _rt.main_pid:
            _exit(1)
        if not _rt.role:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                pid = 0
            for name_, p in list(_rt.procs.items()):
                if pid and p == pid:
                    _rt.procs[name_] = 0
                    how = ("signal %d" % os.WTERMSIG(status) if os.WIFSIGNALED(status)
                           else "exit status %d" % os.WEXITSTATUS(status))
                    _error(line, "role %s died (%s) before the lab ended" % (name_, how))
                    _abort()
                    return False
        # quick at first (a block's hand-over), then gently (a user
        # reading under run --step)
        spins += 1
        time.sleep(0.001 if spins < 200 else 0.01)


def _fork_role(name, line):
    sys.stdout.flush()
    sys.stderr.flush()
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(w)
        _rt.role = name
        _rt.procs = {}
        _rt.roles_exist = True
        _libc.prctl(PR_SET_PDEATHSIG, 9)    # a role must not outlive the lab
        if os.getppid() != _rt.main_pid or os.read(r, 1) != b"x":
            _exit(1)
        os.close(r)
        return
    os.close(r)
    _rt.procs[name] = pid
    _rt.roles_exist = True
    # the child waits until the event that names it is out
    _emit("role", pid=pid, line=line, name=name, role="")
    os.write(w, b"x")
    os.close(w)


def _hand_on():
    """The turn a block left by break or return still holds."""
    if _rt.pending >= 0:
        _rt.shared.set("turn", _rt.pending)
        _rt.pending = -1


def role(name):
    """for _ in role("server"): the block runs in process "server"."""
    _started("role")
    _hand_on()
    line = _line()
    k = _rt.block
    _rt.block += 1
    if _rt.in_block:
        _error(line, "role blocks do not nest")
        _abort()
        return
    if not _rt.role and name not in _rt.procs:
        _fork_role(name, line)
    if _rt.role != name:
        return                  # another process's block: skip it
    if not _wait_word("turn", k, line):
        _exit(1)
    _rt.cur_block = k
    _rt.in_block = True
    try:
        yield
    except GeneratorExit:
        # left by break or return, or by an exception on its way to
        # _crashed: the turn goes on at this process's next role() or
        # end(), never to a block after a crash
        _rt.in_block = False
        _rt.pending = k + 1
        raise
    # the block's end
    _rt.in_block = False
    _rt.shared.set("turn", k + 1)


# ---- the end -----------------------------------------------------------

def end():
    """The lab's last line: the end event, then exit with its status."""
    _started("end")
    _rt.ended = True
    _hand_on()
    if _rt.role:
        # a role keeps its sockets open until main has shown the end
        _wait_word("finished", 1, 0)
        _exit(0)
    if _rt.roles_exist:
        # every block has run, or the lab was aborted (a role died)
        _wait_word("turn", _rt.block, 0)
    sh = _rt.shared
    _unreached_claims()
    _emit("end", **{"pass": sh.get("pass"), "fail": sh.get("fail"),
                    "errors": sh.get("errors"), "skip": sh.get("skip")})
    _wait_for_go()
    sh.set("finished", 1)
    for pid in _rt.procs.values():
        if pid:
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
    _exit(1 if sh.get("fail") or sh.get("errors") else 0)
