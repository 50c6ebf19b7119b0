"""Run the LOQED cloud simulator: python -m simulator --help."""

import argparse
import asyncio
import json
import logging
import signal
import sys
from pathlib import Path

from aiohttp import web

from .cloud import CONTROL_HELP, Cloud, create_app
from .faults import Faults
from .lock import VirtualLock
from .memory import StateFile


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(
        prog="python -m simulator",
        description="A stand-in for LOQED's cloud on loopback: the web API, virtual locks, webhooks.",
        epilog=f"Faults: {', '.join(vars(Faults()))}. Change them, move the locks and send events with "
        f"POST /control while it runs:\n{CONTROL_HELP}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port (default: a free one)")
    parser.add_argument("--locks", type=int, default=1, help="number of virtual locks (default 1)")
    parser.add_argument("--seed", default="loqed-web-demo", help="credentials follow from this, so restarts keep them")
    parser.add_argument("--webhook-url", action="append", default=[], help="webhook URL of lock N, in order")
    parser.add_argument(
        "--state-file",
        type=Path,
        help="keep the locks' state, the status budget, the counters and the token in this JSON file across restarts",
    )
    parser.add_argument("--fault", action="append", default=[], metavar="NAME=VALUE", help="switch a fault on")
    parser.add_argument("--verbose", action="store_true", help="log every request and webhook")
    return parser.parse_args(argv)


async def serve(args: argparse.Namespace) -> None:
    """Serve until SIGINT or SIGTERM; print one READY line of JSON with the credentials first."""
    faults = Faults()
    faults.update(dict(item.split("=", 1) for item in args.fault))
    locks = [VirtualLock.create(index, args.seed) for index in range(args.locks)]
    cloud = Cloud(locks, faults)
    state_file = StateFile(args.state_file) if args.state_file else None
    if state_file is not None:
        cloud.recall(state_file.read())
        cloud.on_change = lambda: state_file.write(cloud.remembered())
    for lock, url in zip(locks, args.webhook_url, strict=False):
        lock.webhook_urls = [url]
    runner = web.AppRunner(
        create_app(cloud), access_log=logging.getLogger("simulator.access") if args.verbose else None
    )
    await runner.setup()
    site = web.TCPSite(runner, args.host, args.port)
    await site.start()
    port = runner.addresses[0][1]
    cloud.base_url = f"http://{args.host}:{port}"
    ready = {"base_url": cloud.base_url, "locks": [cloud.describe(x) for x in locks], "token": cloud.account.token}
    print("READY " + json.dumps(ready), flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    await stop.wait()
    await runner.cleanup()
    cloud.on_change()  # the webhook counters that deliveries changed after the last request


def main() -> None:
    """Entry point."""
    args = parse_args(sys.argv[1:])
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="[simulator] %(message)s")
    asyncio.run(serve(args))


if __name__ == "__main__":
    main()
