# wrong: the second instance cannot bind, says so and exits 0; the first echoes twice
# fails: each instance holds its own socket on port 7000
import socket
import struct

join = struct.pack("=4s4si", socket.inet_aton("239.1.2.3"),
                   socket.inet_aton("0.0.0.0"), socket.if_nametoindex("lo"))
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
try:
    s.bind(("0.0.0.0", 7000))
except OSError as e:
    print("bind:", e)
    raise SystemExit(0)         # "someone else serves the stream"
s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, join)
while True:
    data, sender = s.recvfrom(512)
    if data == b"bye":
        break
    # twice: one for the instance that could not bind
    s.sendto(data, sender)
    s.sendto(data, sender)
s.close()
