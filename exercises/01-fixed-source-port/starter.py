"""Exercise 01 -- send "hello" to 127.0.0.1:6000 from local port 5000.

This starter sends it, but from a port the kernel picks.
Run: python3 ex01.py"""
import socket

service = ("127.0.0.1", 6000)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)

# TODO: the service answers to port 5000 only
s.sendto(b"hello", service)
s.close()
