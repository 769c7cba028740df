"""``tui-ftp probe``: the connection doctor's report through the real executable."""

from __future__ import annotations

import json

from tests.servers import RunningServer

from .conftest import Cli, url


def test_probe_json_reports_what_pyftpdlib_supports(cli: Cli, pyftpd_tls: RunningServer) -> None:
    run = cli.on(pyftpd_tls, "probe", url(pyftpd_tls), "--json", "--implicit-port", "1", "--timeout", "5")
    assert run.code == 0, run
    report = json.loads(run.stdout)
    findings = {name: finding["value"] for name, finding in report["findings"].items()}
    assert findings["auth_tls"] is True and findings["login"] is True and findings["prot_p"] is True
    assert findings["implicit"] is False and findings["ccc"] is False
    assert findings["certificate_trusted"] is True
    assert pyftpd_tls.password not in run.stdout + run.stderr


def test_probe_text_report(cli: Cli, pyftpd_plain: RunningServer) -> None:
    run = cli.on(pyftpd_plain, "probe", url(pyftpd_plain), "--implicit-port", "1", "--timeout", "5")
    assert run.code == 0, run
    assert run.stdout.startswith(f"Connection doctor: {pyftpd_plain.host} port {pyftpd_plain.port}")
    assert "Suggested profile:" in run.stdout
