"""Lab 02py -- The implicit bind, in Python.

Lab 02's first three steps with the socket module: a UDP socket that was
never bound gets a local port at its first sendto(): the kernel binds it
to the wildcard address and an ephemeral port, once.  A later bind()
then raises EINVAL: a socket is bound at most once.  To send *from* a
chosen port, bind before the first send -- the background of the story.

Lab 02's fourth step (connect() with AF_UNSPEC gives the implicit port
back) is not here: the socket module has no way to pass an AF_UNSPEC
address to connect()."""
import errno
import socket
import struct

from socklab_lab import LAB_PORT, claim, end, expect_err, expect_ok, expect_true, lab, note, step

lab(2, "implicit-bind-py", "The implicit bind, in Python",
    "The first sendto() binds an ephemeral port; bind() afterwards raises EINVAL", key="02py")

to = ("127.0.0.1", LAB_PORT)
receiver = expect_ok(lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM))
sender = expect_ok(lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM))

# so a lab never hangs if a datagram goes elsewhere (SO_RCVTIMEO, as C)
expect_ok(lambda: receiver.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO,
                                      struct.pack("ll", 1, 0)))

step("A receiver binds 127.0.0.1:%d; the sender binds nothing",
     "a fresh socket has no local port: getsockname() reports port 0",
     LAB_PORT)
expect_ok(lambda: receiver.bind(to))
me = expect_ok(lambda: sender.getsockname())
expect_true(me[1] == 0)

step("The sender's first sendto()",
     "a socket must have a source port to send: the kernel binds one now")
claim("implicit-bind")
expect_ok(lambda: sender.sendto(b"hello", to))
me = expect_ok(lambda: sender.getsockname())
with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
    lo, hi = (int(x) for x in f.read().split())
note("the first sendto bound the sender to %s:%s; ip_local_port_range is %s-%s",
     me[0], me[1], lo, hi)
expect_true(lo <= me[1] <= hi)
got = expect_ok(lambda: receiver.recvfrom(64))
expect_true(got is not None and got[1][1] == me[1])

step("Now bind the sender to 127.0.0.1:%d",
     "too late: the socket already has its one local port",
     LAB_PORT + 1)
claim("bind-after-implicit-einval")
expect_err(errno.EINVAL, lambda: sender.bind(("127.0.0.1", LAB_PORT + 1)))

end()
