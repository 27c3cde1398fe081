# wrong: joins on eth0 and reads the stream, but prints instead of
# echoing: nothing goes back on the wire
# fails: each datagram of the stream is echoed once from each host
import socket
import struct

join = struct.pack("=4s4si", socket.inet_aton("239.1.2.3"),
                   socket.inet_aton("0.0.0.0"), socket.if_nametoindex("eth0"))
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", 7000))
s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, join)
while True:
    data, sender = s.recvfrom(512)
    if data == b"bye":
        break
    print("echo", data.decode(), "to", sender, flush=True)
