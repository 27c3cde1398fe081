"""Lab 07py -- The story in Python: one port, a server and a client.

Lab 07 with the socket module, step for step.  A UDP server receives on
port 5000; a short-lived client socket must send *from* port 5000.

  Part 1, the listenUDP way: the server binds with no options.  The
  client's bind raises EADDRINUSE (Windows: 10048), and setting
  SO_REUSEADDR on the client alone still fails (Windows said 10013).

  Part 2, the listenMultiple way: the server sets SO_REUSEADDR and
  SO_REUSEPORT before its bind, as Twisted's listenMulticast(port, proto,
  listenMultiple=True) does.  Now the client, with SO_REUSEADDR, binds
  the same port and sends.

  Part 3, where the reply lands: while the client socket is open, the
  peer's reply to port 5000 goes to the client (the socket bound last);
  the server sees nothing.  Once the client closes, the server gets it.

Three processes play the roles (for _ in role(...)); the owner column of
the table says which socket is whose.  07tw is the same story on Twisted
itself."""
import errno
import socket
import struct

from socklab_lab import (LAB_PORT, as_expected, ask, claim, end, expect_err, expect_ok,
                         expect_true, lab, note, role, step)

lab(7, "the-story-py", "The story in Python: server and client on one port",
    "listenUDP's way fails, listenMultiple's works; where the reply lands", key="07py")

port = ("127.0.0.1", LAB_PORT)          # the protocol's well-known port
peer_addr = ("127.0.0.1", LAB_PORT + 1)
wait = struct.pack("ll", 1, 0)          # SO_RCVTIMEO: one second
server = client = peer = None
sender = None

# ---- Part 1: the listenUDP way --------------------------------------
for _ in role("server"):
    step("The server binds 127.0.0.1:%d the listenUDP way",
         "reactor.listenUDP(%d, proto) sets no socket options before bind",
         LAB_PORT, LAB_PORT)
    server = expect_ok(lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM))
    expect_ok(lambda: server.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, wait))
    expect_ok(lambda: server.bind(port))

for _ in role("client"):
    ask("The server holds port %d and set no option. Can the client bind it "
        "too?",
        LAB_PORT)
    step("The client binds port %d so it can send from it",
         "the port is the server's, and the server agreed to no sharing",
         LAB_PORT)
    client = expect_ok(lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM))
    expect_ok(lambda: client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, wait))
    expect_err(errno.EADDRINUSE, lambda: client.bind(port))
    note("Windows says 10048, WSAEADDRINUSE: 'only one usage of each socket "
         "address is normally permitted'")

    ask("The client sets SO_REUSEADDR, as the author read. Will its bind work now?")
    step("The client sets SO_REUSEADDR and tries again",
         "the advice the author found; but reuse needs the server's consent too")
    expect_ok(lambda: client.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1))
    expect_err(errno.EADDRINUSE, lambda: client.bind(port))
    if as_expected():
        note("the story's Windows answered 10013 (WSAEACCES) here; Linux "
             "keeps saying EADDRINUSE: SO_REUSEADDR must be set on both sockets")

# ---- Part 2: the listenMultiple way ---------------------------------
for _ in role("server"):
    step("The server restarts the listenMultiple way",
         "listenMulticast(%d, proto, listenMultiple=True) sets SO_REUSEADDR "
         "and SO_REUSEPORT before bind",
         LAB_PORT)
    expect_ok(lambda: server.close())
    server = expect_ok(lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM))
    expect_ok(lambda: server.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, wait))
    expect_ok(lambda: server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1))
    expect_ok(lambda: server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1))
    expect_ok(lambda: server.bind(port))

for _ in role("client"):
    ask("The server now sets SO_REUSEADDR and SO_REUSEPORT. Will the client's bind work?")
    step("The client, still with SO_REUSEADDR, binds port %d",
         "now both sockets set SO_REUSEADDR: the kernel lets them share",
         LAB_PORT)
    expect_ok(lambda: client.bind(port))

for _ in role("peer"):
    step("The peer, the other end of the protocol, binds 127.0.0.1:%d",
         "it will answer whoever writes to it, at the source address it sees",
         LAB_PORT + 1)
    peer = expect_ok(lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM))
    expect_ok(lambda: peer.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, wait))
    expect_ok(lambda: peer.bind(peer_addr))

for _ in role("client"):
    step("The client sends a request from port %d to the peer",
         "the reason the client needed that port: the peer sees %d as the "
         "source",
         LAB_PORT, LAB_PORT)
    expect_ok(lambda: client.sendto(b"request", peer_addr))

# ---- Part 3: where does the reply land? -----------------------------
for _ in role("peer"):
    step("The peer receives the request and replies to its source",
         "the reply goes to 127.0.0.1:%d, a port two sockets now share",
         LAB_PORT)
    got = expect_ok(lambda: peer.recvfrom(64))
    # reply only to an address a datagram really came from
    if got is not None:
        sender = got[1]
        expect_true(sender[1] == LAB_PORT)
        expect_ok(lambda: peer.sendto(b"reply", sender))

for _ in role("client"):
    ask("The peer replied to port %d, which two sockets share. Which one gets "
        "the reply: the server, the client, or both?",
        LAB_PORT)
    step("While the client lives, the reply lands on the client",
         "unicast to a shared UDP port goes to the socket that bound last")
    claim("story-reply-on-client")
    expect_ok(lambda: client.recvfrom(64))

for _ in role("server"):
    expect_err(errno.EAGAIN, lambda: server.recvfrom(64, socket.MSG_DONTWAIT))
    if as_expected():
        note("the server got nothing: a client that shares the port also "
             "takes the server's traffic while it is open")

for _ in role("client"):
    step("The client closes its socket", "its job is done")
    expect_ok(lambda: client.close())

for _ in role("peer"):
    ask("The client has closed its socket. Where does the peer's next datagram go?")
    step("The peer sends to port %d again",
         "only the server's socket is left on the port",
         LAB_PORT)
    expect_ok(lambda: peer.sendto(b"later", port))

for _ in role("server"):
    expect_ok(lambda: server.recvfrom(64))
    if as_expected():
        note("with the client gone, the server receives again")

end()
