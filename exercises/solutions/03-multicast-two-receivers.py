"""Reference solution to exercise 03, in Python (for instructors):
SO_REUSEADDR before bind() lets both receivers hold port 7000, and each
member of the group gets its own copy of every datagram.  recvfrom()
retries by itself after EINTR (PEP 475)."""
import socket
import struct

# struct ip_mreqn: the group, a local address (any), the interface index
join = struct.pack("=4s4si", socket.inet_aton("239.1.2.3"),
                   socket.inet_aton("0.0.0.0"), socket.if_nametoindex("lo"))
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)

# both receivers agree to share the port, before bind()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", 7000))
s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, join)
while True:
    data, sender = s.recvfrom(512)
    if data == b"bye":
        break
    s.sendto(data, sender)
s.close()
