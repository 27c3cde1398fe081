"""Lab 06py -- SO_REUSEADDR on both sides, in Python.

Lab 06 with the socket module: when both sockets set SO_REUSEADDR they
share a UDP port, and one datagram sent to it goes to one socket only
(here, the one that bound last).  The holder's consent may even come
late: the kernel reads its flag when the newcomer binds.

The receive timeout is SO_RCVTIMEO, set as C sets it, not settimeout():
Python's settimeout() makes the socket non-blocking underneath, and the
lab wants the kernel's own blocking receive."""
import errno
import socket
import struct

from socklab_lab import LAB_PORT, as_expected, ask, claim, end, expect_err, expect_ok, lab, note, step

lab(6, "reuse-both-sides-py", "SO_REUSEADDR on both sides, in Python",
    "Both sockets agree: the port is shared", key="06py")

addr = ("127.0.0.1", LAB_PORT)
other = ("127.0.0.1", LAB_PORT + 1)
one_second = struct.pack("ll", 1, 0)    # struct timeval {1, 0}
older = expect_ok(lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM))
newer = expect_ok(lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM))
sender = expect_ok(lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM))
holder = expect_ok(lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM))
joiner = expect_ok(lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM))

# receive timeouts: a datagram that went elsewhere fails a check after
# one second instead of hanging the lab
expect_ok(lambda: older.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, one_second))
expect_ok(lambda: newer.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, one_second))

step("The older socket sets SO_REUSEADDR and binds 127.0.0.1:%d",
     "it agrees in advance to share the port",
     LAB_PORT)
expect_ok(lambda: older.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1))
expect_ok(lambda: older.bind(addr))

step("The newer socket does the same",
     "both sockets set SO_REUSEADDR, so the kernel lets them share")
claim("reuse-both-shares")
expect_ok(lambda: newer.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1))
expect_ok(lambda: newer.bind(addr))

ask("Both sockets share the port. Who gets one datagram sent to it: the older, "
    "the newer, or both?")
step("Send one datagram to 127.0.0.1:%d",
     "unicast goes to exactly one socket: which one is not documented",
     LAB_PORT)
claim("last-bound-gets-unicast")
expect_ok(lambda: sender.sendto(b"first", addr))
expect_ok(lambda: newer.recvfrom(64))
expect_err(errno.EAGAIN, lambda: older.recvfrom(64, socket.MSG_DONTWAIT))
if as_expected():
    note("the socket that bound last received it; the older one got nothing "
         "(what this kernel does, not a promise)")

step("Close the newer socket and send again",
     "with the newer socket gone, the port's remaining socket gets the traffic")
expect_ok(lambda: newer.close())
expect_ok(lambda: sender.sendto(b"second", addr))
expect_ok(lambda: older.recvfrom(64))

step("A holder binds 127.0.0.1:%d with no option; a joiner with SO_REUSEADDR "
     "tries",
     "the holder never agreed to share: the joiner's flag alone is not enough "
     "(lab 05)",
     LAB_PORT + 1)
expect_ok(lambda: holder.bind(other))
expect_ok(lambda: joiner.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1))
expect_err(errno.EADDRINUSE, lambda: joiner.bind(other))

ask("The holder sets SO_REUSEADDR after its own bind. Will the joiner's bind work now?")
step("The holder sets SO_REUSEADDR now, after its bind; the joiner binds again",
     "the kernel reads the holder's flag when the newcomer binds, not when the holder did")
claim("holder-flag-read-late")
expect_ok(lambda: holder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1))
expect_ok(lambda: joiner.bind(other))
if as_expected():
    note("both share 127.0.0.1:%d: only the newcomer had to set its flag "
         "before its bind; a failed bind leaves a socket unbound, so it could "
         "try again",
         LAB_PORT + 1)

end()
