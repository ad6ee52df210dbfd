"""``easrg``: onboard, plan, tear down, check and delete the role, from a terminal.

Where calls go is always explicit: ``--endpoint URL`` (or ``EASRG_ENDPOINT``, or a credentials
block's endpoint) points every product at an emulator; Alibaba Cloud's real endpoints are used
only with ``--cloud``.  Credentials come from ``--credentials-block NAME`` or the standard Alibaba
Cloud credential chain (``ALIBABA_CLOUD_ACCESS_KEY_ID`` / ``ALIBABA_CLOUD_ACCESS_KEY_SECRET``, profile,
ECS role, OIDC ...).  Flows are imported lazily: ``demo`` must choose its Prefect home first.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

EXIT_USAGE = 2
EXIT_FAILED = 1
ROLE_NAME = "AliyunServiceRoleForPaiEasManageCustomerClusters"


class CliError(Exception):
    """A clear message for the user; the process exits non-zero without a traceback."""


class CliFailure(CliError):
    """The command ran and found a failure (exit 1, not a usage error)."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="easrg",
        description="Onboard, plan, tear down and check PAI-EAS self-managed resource groups, "
        "and delete the EAS service-linked role.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def target(p: argparse.ArgumentParser) -> None:
        p.add_argument("--endpoint", help="emulator URL such as http://127.0.0.1:8765 (or EASRG_ENDPOINT)")
        p.add_argument("--cloud", action="store_true", help="use Alibaba Cloud's real endpoints")
        p.add_argument("--credentials-block", default="", help="AlibabaCloudCredentials block name")
        p.add_argument("--as-role", action="store_true", help="refuse calls the EAS role may not make")

    for name, text in (
        ("onboard", "build everything EAS needs for the group"),
        ("plan", "show what onboarding would create or change, changing nothing"),
        ("health", "check the group's resources (reads only)"),
    ):
        p = sub.add_parser(name, help=text)
        p.add_argument("spec", help="resource-group spec (YAML)")
        target(p)
    p = sub.add_parser("teardown", help="remove the group's resources in reverse order")
    p.add_argument("spec", help="resource-group spec (YAML)")
    p.add_argument("--delete-log-data", action="store_true", help="also delete the log project and logstore")
    target(p)
    p = sub.add_parser("delete-role", help=f"delete {ROLE_NAME}")
    p.add_argument("--confirm", required=True, metavar="ROLE_NAME", help="type the role name to confirm")
    p.add_argument("--teardown-groups", action="store_true", help="tear remaining groups down first")
    p.add_argument("--spec", action="append", default=[], help="spec of a group to tear down (repeatable)")
    target(p)
    sub.add_parser("policy", help="print the role's RAM policy document")
    p = sub.add_parser("demo", help="start the emulator, onboard the example group, tear it down")
    p.add_argument("--pace", default="realistic", choices=("instant", "fast", "realistic"))
    p.add_argument("--keep", action="store_true", help="leave the group onboarded (skip the teardown)")
    p = sub.add_parser("webhook", help="receive signed webhook deliveries and start deployments")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8780)
    p.add_argument("--deployment", default="onboard-resource-group/onboard-resource-group")
    return parser


def _configure(args: argparse.Namespace) -> None:
    """Settle where calls go before anything is imported that reads the settings."""
    if args.endpoint:
        os.environ["EASRG_ENDPOINT"] = args.endpoint
    if args.as_role:
        os.environ["EASRG_AS_ROLE"] = "true"
    if not (os.environ.get("EASRG_ENDPOINT") or args.cloud or args.credentials_block):
        raise CliError(
            "no endpoint configured: pass --endpoint URL (an emulator, such as the one "
            "`make emulator` starts) or --cloud to use Alibaba Cloud's real endpoints"
        )
    from pydantic import ValidationError

    from alicloud.settings import Settings

    try:
        settings = Settings()
    except ValidationError as error:
        problems = "; ".join(
            f"{_setting_name(args, e['loc'])}: {e['msg']}" for e in error.errors()
        )
        raise CliError(f"invalid setting: {problems.replace('Value error, ', '')}") from None
    if settings.endpoint:
        _check_reachable(settings.endpoint, settings.connect_timeout_s)
    if not args.credentials_block:
        _check_credentials(settings)


def _check_credentials(settings: Any) -> None:
    """Resolve the standard chain before Prefect starts: none found is one line with the fix."""
    import logging

    from alicloud.clients import Clients
    from alicloud.errors import AuthError

    quiet = logging.getLogger("credentials")  # the alibabacloud_credentials providers
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)  # each provider that fails would warn
    try:
        Clients(settings).check_credentials()
    except AuthError:
        raise CliError(
            "no usable credentials: export ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET "
            "(the emulator's owner key: LTAI-emulator-owner / emulator-owner-secret), configure an "
            "Alibaba Cloud profile, or pass --credentials-block NAME"
        ) from None
    finally:
        quiet.setLevel(level)


def _setting_name(args: argparse.Namespace, location: tuple[Any, ...]) -> str:
    name = f"EASRG_{'_'.join(map(str, location)).upper()}"
    return "--endpoint" if name == "EASRG_ENDPOINT" and args.endpoint else name


def _check_reachable(endpoint: str, timeout_s: float) -> None:
    """One TCP connect to an emulator endpoint before any flow starts: a stopped emulator or a
    wrong port is one line here, not every preflight read failing after its retries."""
    import socket
    from urllib.parse import urlsplit

    url = urlsplit(endpoint)
    port = url.port or (443 if url.scheme == "https" else 80)
    try:
        socket.create_connection((url.hostname or "", port), timeout=timeout_s).close()
    except OSError as error:
        raise CliError(
            f"cannot connect to the endpoint {endpoint} ({error.strerror or error}): start the "
            "emulator (`make emulator`) or correct --endpoint / EASRG_ENDPOINT"
        ) from None


def _print_summary(summary: Any) -> None:
    from flows.summary import table

    if summary.resources:
        print()
        print("\n".join(table(summary.resources)))
    for title, items in (
        ("changed", summary.changes),
        ("planned", summary.planned),
        ("kept", summary.kept),
        ("failed", summary.failures),
    ):
        for item in items:
            print(f"{title}: {item}")
    print(f"\n{summary.action} of {summary.name}: {summary.status} ({summary.wall_time_s:.1f} s)")


def _flow(args: argparse.Namespace) -> Any:
    from flows.spec import load_spec

    spec = load_spec(args.spec)
    if args.command in ("onboard", "plan"):
        from flows.onboarding import onboard_resource_group

        return onboard_resource_group(
            spec, credentials_block=args.credentials_block, dry_run=args.command == "plan"
        )
    if args.command == "teardown":
        from flows.teardown import teardown_resource_group

        return teardown_resource_group(
            spec, credentials_block=args.credentials_block, delete_log_data=args.delete_log_data
        )
    from flows.health_check import check_resource_group_health

    return check_resource_group_health(spec, credentials_block=args.credentials_block)


def _delete_role(args: argparse.Namespace) -> Any:
    from flows.role_deletion import delete_service_linked_role_flow
    from flows.spec import load_spec

    specs = [load_spec(path) for path in args.spec]
    return delete_service_linked_role_flow(
        args.confirm,
        teardown_groups=args.teardown_groups,
        credentials_block=args.credentials_block,
        specs=specs or None,
    )


def _policy(_: argparse.Namespace) -> None:
    from policies import load_role_policy

    print(json.dumps(load_role_policy(), indent=2))


def _webhook(args: argparse.Namespace) -> None:
    from flows.webhook import make_server

    secret = os.environ.get("EASRG_WEBHOOK_SECRET", "")
    if len(secret) < 16:
        raise CliError("set EASRG_WEBHOOK_SECRET (at least 16 characters) to the secret senders sign with")
    server = make_server(args.host, args.port, secret, args.deployment)
    print(f"webhook receiver listening on http://{args.host}:{server.server_address[1]}", flush=True)
    server.serve_forever()


def _run(args: argparse.Namespace) -> int:
    if args.command == "policy":
        _policy(args)
        return 0
    if args.command == "demo":
        from flows.demo import run_demo

        return run_demo(pace=args.pace, keep=args.keep)
    if args.command == "webhook":
        _webhook(args)
        return 0
    if args.command == "delete-role" and args.confirm != ROLE_NAME:
        raise CliError(f"--confirm must be the role name typed out: {ROLE_NAME}")
    _configure(args)
    action: Callable[[argparse.Namespace], Any] = _delete_role if args.command == "delete-role" else _flow
    try:
        summary = action(args)
    except Exception as error:
        # A drifted health check, a blocked teardown, a refused role deletion: the flow's error
        # carries its summary; show every finding, then fail.
        found = getattr(error, "summary", None)
        if found is None:
            raise
        _print_summary(found)
        raise CliFailure(str(error)) from None
    _print_summary(summary)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    # No telemetry from a command-line run (a temporary server would try, and log an ERROR offline).
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    args = _parser().parse_args(argv)
    try:
        return _run(args)
    except CliError as error:
        print(f"easrg: {error}", file=sys.stderr)
        return EXIT_FAILED if isinstance(error, CliFailure) else EXIT_USAGE
    except KeyboardInterrupt:
        print("easrg: interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # the flow already logged the details; say what failed, plainly
        from flows.spec import SpecError

        kind = "invalid spec" if isinstance(error, SpecError) else type(error).__name__
        print(f"\neasrg: {args.command} failed ({kind}): {error}", file=sys.stderr)
        return EXIT_USAGE if isinstance(error, (SpecError, ValueError)) else EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
