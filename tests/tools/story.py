"""story.py MODE PORT — the seed's story as a Twisted program, for
socklab trace (docs/story.md, tests/cli/trace.bats).

The server listens on 127.0.0.1:PORT the way MODE says:
  listenUDP       reactor.listenUDP(PORT, proto): no socket option at all
  listenMultiple  reactor.listenMulticast(PORT, proto, listenMultiple=True):
                  Twisted sets SO_REUSEADDR (and SO_REUSEPORT) before bind
Then the client, in the same process, does what the story's author read:
SO_REUSEADDR on its own socket, then bind the server's port, so that its
datagrams leave from it.  It prints whether its bind worked."""
import socket
import sys

from twisted.internet import protocol, reactor


class Echo(protocol.DatagramProtocol):
    def datagramReceived(self, data, addr):
        self.transport.write(b"reply", addr)


mode, port = sys.argv[1], int(sys.argv[2])
if mode == "listenUDP":
    reactor.listenUDP(port, Echo(), interface="127.0.0.1")
else:
    reactor.listenMulticast(port, Echo(), interface="127.0.0.1", listenMultiple=True)

client = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
client.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    client.bind(("127.0.0.1", port))
    print("client bind ok", client.fileno(), flush=True)
except OSError as e:
    print("client bind errno", e.errno, client.fileno(), flush=True)
reactor.callLater(0.05, reactor.stop)
reactor.run()
