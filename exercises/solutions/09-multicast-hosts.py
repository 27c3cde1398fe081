"""Reference solution to exercise 09, in Python (for instructors): the
join names eth0, the host's link, where the stream comes in.  recvfrom()
retries by itself after EINTR (PEP 475)."""
import socket
import struct

# struct ip_mreqn: the group, a local address (any), the interface index
join = struct.pack("=4s4si", socket.inet_aton("239.1.2.3"),
                   socket.inet_aton("0.0.0.0"), socket.if_nametoindex("eth0"))
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", 7000))
s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, join)
while True:
    data, sender = s.recvfrom(512)
    if data == b"bye":
        break
    s.sendto(data, sender)
s.close()
