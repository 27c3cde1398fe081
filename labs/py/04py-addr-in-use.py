"""Lab 04py -- Address already in use, in Python.

Lab 04 with the socket module: by default, once a socket has bound a
port, a second socket cannot bind the same address and port.  Python
raises OSError with errno EADDRINUSE (98); on Windows the same code gets
WSAEADDRINUSE (10048), the error the story starts from.

Watch the table: one UDP row on 127.0.0.1:5000 after step 1, and still
exactly one after step 2.  The second socket exists but is bound to
nothing, and the kernel lists only bound UDP sockets."""
import errno
import socket

from socklab_lab import LAB_PORT, claim, end, expect_err, expect_ok, lab, step

lab(4, "addr-in-use-py", "Address already in use, in Python",
    "Two sockets, one port: the second bind raises EADDRINUSE", key="04py")

addr = ("127.0.0.1", LAB_PORT)
first = expect_ok(lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM))
second = expect_ok(lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM))

step("The first socket binds 127.0.0.1:%d",
     "nobody holds the port yet, so the kernel gives it to this socket",
     LAB_PORT)
expect_ok(lambda: first.bind(addr))

step("A second socket binds the same address and port",
     "neither socket set SO_REUSEADDR or SO_REUSEPORT, so the port is taken")
claim("addr-in-use")
expect_err(errno.EADDRINUSE, lambda: second.bind(addr))

# exit closes both sockets: the table above is the state at the end
end()
