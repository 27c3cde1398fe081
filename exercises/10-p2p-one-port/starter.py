"""Exercise 10 -- a P2P node behind a NAT router: it listens on UDP port
6881, announces itself to the tracker 10.1.0.2:6969, says hello to the peer
the tracker names, and thanks it for its welcome.  This starter is the
story's design: a server socket on 6881 and a client socket of its own for
what it sends.  It runs to the end, and nobody learns port 6881.
Run: python3 ex10.py"""
import socket

server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
server.bind(("0.0.0.0", 6881))
client = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)  # TODO: is it needed?

client.sendto(b"announce", ("10.1.0.2", 6969))
words = client.recvfrom(128)[0].decode().split()
if len(words) != 3 or words[0] != "peer":
    raise SystemExit("no peer from the tracker")
client.sendto(b"hello", (words[1], int(words[2])))
data, sender = client.recvfrom(128)
if data != b"welcome":
    raise SystemExit("no welcome")
client.sendto(b"thanks", sender)
