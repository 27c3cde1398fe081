"""Reference solution to exercise 10, in Python (for instructors): one
socket, bound to 6881 before anything is sent, does everything.
recvfrom() retries by itself after EINTR (PEP 475)."""
import socket

s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", 6881))
s.sendto(b"announce", ("10.1.0.2", 6969))
words = s.recvfrom(128)[0].decode().split()
if len(words) != 3 or words[0] != "peer":
    raise SystemExit("no peer from the tracker")
s.sendto(b"hello", (words[1], int(words[2])))
data, sender = s.recvfrom(128)
if data != b"welcome":
    raise SystemExit("no welcome")
s.sendto(b"thanks", sender)
