"""``tui-ftp jes``: submit JCL, list jobs, fetch spool output — the real executable against the z/OS-like server."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest

from tui_ftp.demo.zos_server import DEMO_PASSWORD, DEMO_USER, ZosServer

from .conftest import Cli


@pytest.fixture
def zos() -> Iterator[ZosServer]:
    server = ZosServer().start()
    yield server
    server.stop()


def test_submit_list_and_get_a_job(cli: Cli, zos: ZosServer) -> None:
    url = f"ftp://{DEMO_USER}@127.0.0.1:{zos.port}"
    env = {"ZOS_PW": DEMO_PASSWORD}
    jcl = cli.workdir / "job.jcl"
    jcl.write_text("//USER1Q  JOB (ACCT),'CLI',CLASS=A\n//STEP1 EXEC PGM=IEFBR14\n")

    submitted = cli("jes", "submit", url, jcl, "--password-env", "ZOS_PW", env=env)
    assert submitted.code == 0, submitted
    job_id = submitted.stdout.strip()
    assert re.fullmatch(r"J\d{7}|JOB\d{5}", job_id), submitted

    listed = cli("jes", "ls", url, "--json", "--password-env", "ZOS_PW", env=env)
    assert listed.code == 0, listed
    jobs = {job["attrs"]["jobid"]: job for job in json.loads(listed.stdout)}
    assert jobs[job_id]["attrs"]["jobname"] == "USER1Q"

    fetched = cli("jes", "get", url, job_id, "--password-env", "ZOS_PW", env=env)
    assert fetched.code == 0, fetched
    assert "USER1Q" in (cli.workdir / f"{job_id}.txt").read_text()


def test_get_without_a_job_id_is_a_usage_error(cli: Cli, zos: ZosServer) -> None:
    run = cli("jes", "get", f"ftp://{DEMO_USER}@127.0.0.1:{zos.port}", "--password-env", "ZOS_PW", env={"ZOS_PW": DEMO_PASSWORD})
    assert run.code == 2 and "job id" in run.stderr
