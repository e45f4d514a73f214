"""``safeguard serve --reuse-port`` (decision 0078): several server processes listen on one
port, and the kernel spreads the connections between them."""

import socket

from django.core.management import get_commands, load_command_class

from safeguard.core.management.commands.serve import _shared_socket


def test_two_listeners_share_one_port():
    first = _shared_socket("127.0.0.1", 0)
    port = first.getsockname()[1]
    try:
        second = _shared_socket("127.0.0.1", port)  # a plain bind would fail: address in use
        try:
            assert second.getsockname()[1] == port
            assert second.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT) == 1
        finally:
            second.close()
    finally:
        first.close()


def test_serve_offers_the_option():
    command = load_command_class(get_commands()["serve"], "serve")
    options = command.create_parser("safeguard", "serve").parse_args(["--reuse-port"])
    assert options.reuse_port is True
    assert command.create_parser("safeguard", "serve").parse_args([]).reuse_port is False
