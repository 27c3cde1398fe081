"""Exercise 03 -- a receiver of the multicast stream 239.1.2.3:7000 on lo
that echoes every datagram to its sender and exits after "bye".  The
grader runs two of them at once; with this starter the second one cannot
bind port 7000 (OSError, EADDRINUSE).
Run: python3 ex03.py"""
import socket
import struct

# struct ip_mreqn: the group, a local address (any), the interface index
join = struct.pack("=4s4si", socket.inet_aton("239.1.2.3"),
                   socket.inet_aton("0.0.0.0"), socket.if_nametoindex("lo"))
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)

# TODO: a second process must be able to bind port 7000 too
try:
    s.bind(("0.0.0.0", 7000))
except OSError as e:
    raise SystemExit(f"bind: {e}")
s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, join)
while True:
    data, sender = s.recvfrom(512)
    if data == b"bye":
        break
    s.sendto(data, sender)
s.close()
