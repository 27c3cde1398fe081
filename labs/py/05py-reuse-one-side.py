"""Lab 05py -- SO_REUSEADDR on one side only, in Python.

Lab 05 with the socket module.  The story's author read that
SO_REUSEADDR lets a second socket bind a port already in use, and set it
on the client.  It is not enough: the socket already on the port must
have agreed too.  The same holds for SO_REUSEPORT."""
import errno
import socket

from socklab_lab import LAB_PORT, as_expected, ask, claim, end, expect_err, expect_ok, lab, note, step

lab(5, "reuse-one-side-py", "SO_REUSEADDR on one side only, in Python",
    "Reuse needs the consent of the socket already there", key="05py")

addr = ("127.0.0.1", LAB_PORT)
first = expect_ok(lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM))
second = expect_ok(lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM))
third = expect_ok(lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM))

step("The first socket binds 127.0.0.1:%d with no options",
     "like a server that never thought about sharing its port",
     LAB_PORT)
expect_ok(lambda: first.bind(addr))

ask("The first socket set no option. Does SO_REUSEADDR on the second one alone "
    "let it bind the same port?")
step("A second socket sets SO_REUSEADDR, then binds the same port",
     "the advice the story's author found: set SO_REUSEADDR on the client")
claim("newcomer-alone-fails")
expect_ok(lambda: second.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1))
expect_err(errno.EADDRINUSE, lambda: second.bind(addr))
if as_expected():
    note("the kernel shares a UDP port only when both sockets set SO_REUSEADDR, or both "
         "set SO_REUSEPORT (same user); the story's Windows refused with 10013 WSAEACCES")

ask("And SO_REUSEPORT on a third socket alone?")
step("A third socket tries SO_REUSEPORT instead",
     "SO_REUSEPORT is also an agreement: every socket in the group must set it")
claim("newcomer-alone-fails")
expect_ok(lambda: third.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1))
expect_err(errno.EADDRINUSE, lambda: third.bind(addr))

end()
