# wrong: one socket that sends the request and a "pong" nobody asked
# for, and never receives anything: it prints what a right one would
# fails: are queued on the socket on 0.0.0.0:5000 and answered with "pong"
import socket
import time

s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", 5000))
s.sendto(b"hello", ("127.0.0.1", 6000))
for port in range(6001, 6017):
    s.sendto(b"pong", ("127.0.0.1", port))
    print("answered 127.0.0.1:%d with pong" % port)
time.sleep(2)
