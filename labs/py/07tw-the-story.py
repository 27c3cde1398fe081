"""Lab 07tw -- The story on Twisted: listenUDP and listenMultiple.

The seed's program, on Twisted itself (Debian's python3-twisted).  The
server is a Twisted DatagramProtocol; the client, as in the story, is a
plain socket that must send *from* the server's port.

  Part 1: reactor.listenUDP(port, proto) binds with no socket option.
  The client's bind raises EADDRINUSE, with SO_REUSEADDR or without.

  Part 2: reactor.listenMulticast(port, proto, listenMultiple=True) sets
  SO_REUSEADDR and SO_REUSEPORT before its bind (the kernel is asked
  which flags the socket holds).  The client's bind now works.

  Part 3: the peer's reply lands on the client while it lives; once it
  has closed, Twisted's protocol receives.  The reactor runs in a thread
  here, as the seed's program ran it, and that is where the seed's trap
  bites: Twisted installs signal handlers only from the main thread.

The server's port opens and closes without the reactor running: Twisted
binds in listenUDP() itself, and stopListening() closes the socket at the
reactor's next iteration (reactor.iterate())."""
import errno
import socket
import struct
import sys
import threading

from socklab_lab import (LAB_PORT, as_expected, ask, end, expect_err, expect_ok,
                         expect_true, lab, note, role, skip, step)

lab(7, "the-story-tw", "The story on Twisted: listenUDP and listenMultiple",
    "reactor.listenUDP blocks the client; listenMulticast(listenMultiple=True) shares",
    key="07tw")

try:
    from twisted.internet import protocol, reactor
    from twisted.logger import globalLogBeginner
except ImportError as e:
    skip("Twisted is not installed here (%s): apt-get install python3-twisted",
         e)
    end()


class Server(protocol.DatagramProtocol):
    """The story's server: it keeps what arrives, and stops the reactor."""
    got = None

    def datagramReceived(self, data, addr):
        Server.got = data
        reactor.stop()


# Twisted's log, kept: what it says when the reactor runs in a thread
logged = []
globalLogBeginner.beginLoggingTo([logged.append], redirectStandardIO=False)

addr = ("127.0.0.1", LAB_PORT)
peer_addr = ("127.0.0.1", LAB_PORT + 1)
wait = struct.pack("ll", 1, 0)          # SO_RCVTIMEO: one second
listening = client = peer = None


def flag(name):
    """What the kernel holds for the Twisted port's socket."""
    return listening.socket.getsockopt(socket.SOL_SOCKET, name)


# ---- Part 1: listenUDP ---------------------------------------------------
for _ in role("server"):
    step("The server: reactor.listenUDP(%d, proto, interface='127.0.0.1')",
         "listenUDP makes the socket and binds it, with no socket option",
         LAB_PORT)
    listening = expect_ok(lambda: reactor.listenUDP(LAB_PORT, Server(), interface="127.0.0.1"))
    expect_true(flag(socket.SO_REUSEADDR) == 0 and flag(socket.SO_REUSEPORT) == 0)

for _ in role("client"):
    ask("Twisted's server holds port %d. Can the client, with SO_REUSEADDR, "
        "bind it?",
        LAB_PORT)
    step("The client sets SO_REUSEADDR and binds port %d",
         "the advice the author found; but listenUDP's socket never agreed to "
         "share",
         LAB_PORT)
    client = expect_ok(lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM))
    expect_ok(lambda: client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, wait))
    expect_ok(lambda: client.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1))
    expect_err(errno.EADDRINUSE, lambda: client.bind(addr))
    if as_expected():
        note("Windows said 10048 (WSAEADDRINUSE), then 10013 (WSAEACCES) with "
             "SO_REUSEADDR; Linux says EADDRINUSE both times")

# ---- Part 2: listenMulticast(..., listenMultiple=True) -------------------
for _ in role("server"):
    step("The server restarts: reactor.listenMulticast(port, proto, listenMultiple=True)",
         "listenMultiple sets SO_REUSEADDR and SO_REUSEPORT before its bind")
    expect_ok(lambda: listening.stopListening())
    expect_ok(lambda: reactor.iterate(0))     # the socket closes now
    listening = expect_ok(lambda: reactor.listenMulticast(
        LAB_PORT, Server(), interface="127.0.0.1", listenMultiple=True))
    expect_true(flag(socket.SO_REUSEADDR) == 1)
    expect_true(flag(socket.SO_REUSEPORT) == 1)

for _ in role("client"):
    ask("The server's socket now has both flags. Will the client's bind work?")
    step("The client, with SO_REUSEADDR, binds port %d again",
         "both sockets set SO_REUSEADDR now: the kernel lets them share",
         LAB_PORT)
    expect_ok(lambda: client.bind(addr))

for _ in role("peer"):
    step("The peer binds 127.0.0.1:%d and waits for a request",
         "the other end of the protocol answers the source address it sees",
         LAB_PORT + 1)
    peer = expect_ok(lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM))
    expect_ok(lambda: peer.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, wait))
    expect_ok(lambda: peer.bind(peer_addr))

for _ in role("client"):
    step("The client sends a request from port %d",
         "the reason it needed the port",
         LAB_PORT)
    expect_ok(lambda: client.sendto(b"request", peer_addr))

# ---- Part 3: where the reply lands ---------------------------------------
for _ in role("peer"):
    step("The peer replies to the request's source",
         "to 127.0.0.1:%d, which two sockets share",
         LAB_PORT)
    got = expect_ok(lambda: peer.recvfrom(64))
    if got is not None:
        expect_ok(lambda: peer.sendto(b"reply", got[1]))

for _ in role("client"):
    ask("Which socket gets the reply: Twisted's server or the client?")
    step("While the client lives, the reply lands on the client",
         "unicast to a shared UDP port goes to the socket that bound last")
    expect_ok(lambda: client.recvfrom(64))
    expect_ok(lambda: client.close())

for _ in role("server"):
    # asked of the kernel, without the reactor: nothing waits for Twisted
    expect_err(errno.EAGAIN, lambda: listening.socket.recvfrom(64, socket.MSG_DONTWAIT))

for _ in role("peer"):
    step("The peer sends to port %d again; Twisted's reactor runs in a thread",
         "only the server's socket is left; the seed ran its reactor outside "
         "the main thread",
         LAB_PORT)
    expect_ok(lambda: peer.sendto(b"later", addr))

for _ in role("server"):
    reactor.callLater(2, reactor.stop)      # a reply that never comes ends it
    runner = threading.Thread(target=reactor.run)
    runner.start()
    runner.join(5)
    expect_true(Server.got == b"later")
    trouble = [e.get("log_failure") or e.get("failure") for e in logged]
    trouble = [f for f in trouble if f is not None]
    if trouble:
        note("reactor.run() outside the main thread: Twisted logged %s: %s; it "
             "ran on without its signal handlers (^C, child processes): run it "
             "in the main thread, or say installSignalHandlers=False and "
             "handle signals yourself",
             type(trouble[0].value).__name__, trouble[0].getErrorMessage())
    sys.stdout.flush()

end()
