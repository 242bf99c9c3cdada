"""`serve()`: the standalone emulator a separately started bot talks to."""

from __future__ import annotations

import asyncio
import contextlib
import socket

import aiohttp

from emulator import serve


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_serve_answers_any_well_formed_token_until_cancelled(capsys: object) -> None:
    port = free_port()
    server = asyncio.create_task(serve(port))
    url = f"http://127.0.0.1:{port}"
    try:
        async with aiohttp.ClientSession() as session:
            for _ in range(100):
                with contextlib.suppress(aiohttp.ClientConnectionError):
                    async with session.get(f"{url}/_emulator/state") as response:
                        if response.status == 200:
                            break
                await asyncio.sleep(0.02)
            async with session.post(f"{url}/bot987:{'t' * 30}/getMe") as response:
                me = await response.json()
            assert me["ok"] is True and me["result"]["id"] == 987
            async with session.post(f"{url}/botnot-a-token/getMe") as response:
                assert response.status == 404
    finally:
        server.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await server
    with contextlib.closing(socket.socket()) as probe:  # the port is free again
        probe.bind(("127.0.0.1", port))
