# wrong: binds 127.0.0.1:7000, not the any address: datagrams to 239.1.2.3 do not match it
# fails: the stream reaches both instances' sockets
import socket
import struct

join = struct.pack("=4s4si", socket.inet_aton("239.1.2.3"),
                   socket.inet_aton("0.0.0.0"), socket.if_nametoindex("lo"))
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 7000))
s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, join)
while True:
    data, sender = s.recvfrom(512)
    if data == b"bye":
        break
    s.sendto(data, sender)
s.close()
