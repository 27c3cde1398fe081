# wrong: sendto() given a str, not bytes: TypeError, the program dies before sending
# fails: a datagram "hello" arrives at 127.0.0.1:6000
import socket

s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 5000))
s.sendto("hello", ("127.0.0.1", 6000))
s.close()
