# wrong: exercise 03's receiver in Python: it joins on lo, which is not
# where the stream comes in
# fails: on each host the program holds a socket on port 7000, a member of 239.1.2.3 on eth0
import socket
import struct

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
