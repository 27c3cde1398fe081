"""Exercise 09 -- a receiver of the multicast stream 239.1.2.3:7000 that
echoes every datagram to its sender and exits after "bye"; the grader runs
it on two hosts of a switch.  This starter is exercise 03's receiver: it
joins on lo, and hears nothing here.
Run: python3 ex09.py"""
import socket
import struct

# TODO: the stream comes in on the host's link, not on lo
# struct ip_mreqn: the group, a local address (any), the interface index
join = struct.pack("=4s4si", socket.inet_aton("239.1.2.3"),
                   socket.inet_aton("0.0.0.0"), socket.if_nametoindex("lo"))
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", 7000))
s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, join)
while True:
    data, sender = s.recvfrom(512)
    if data == b"bye":
        break
    s.sendto(data, sender)
s.close()
