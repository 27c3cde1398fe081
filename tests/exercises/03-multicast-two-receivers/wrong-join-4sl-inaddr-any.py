# wrong: the usual recipe struct.pack("4sl", group, INADDR_ANY) joins on "any" interface, not lo
# fails: a member of 239.1.2.3 on lo
import socket
import struct

join = struct.pack("4sl", socket.inet_aton("239.1.2.3"), socket.INADDR_ANY)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", 7000))
s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, join)
while True:
    data, sender = s.recvfrom(512)
    if data == b"bye":
        break
    s.sendto(data, sender)
s.close()
