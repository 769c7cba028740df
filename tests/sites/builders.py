"""A profile with a non-default value in every field, for round-trip and mapping tests."""

from __future__ import annotations

from dataclasses import fields

from tui_ftp.engine.options import CCCMode, DataMode, Security, ServerType
from tui_ftp.sites.profile import PasswordMode, SiteProfile, TransferRule

FINGERPRINT = "3F:" * 31 + "A0"


def every_field_changed(pem_files: dict[str, str], local_folder: str) -> SiteProfile:
    return SiteProfile(
        name="MVS1 LPAR – prod",
        folder="Prod/Mainframes",
        host="mvs1.example.com",
        port=2121,
        notes='Sysplex PLEX1\nask ops "before" 06:00',
        user="USER1",
        password_mode=PasswordMode.SAVED,
        account="DEPT42",
        security=Security.IMPLICIT_CLEAR_GREETING,
        ccc=CCCMode.NO_NOTIFY,
        protect_listings=False,
        protect_transfers=False,
        verify_hostname=False,
        ca_file=pem_files["ca_file"],
        pinned_sha256=FINGERPRINT,
        client_cert=pem_files["client_cert"],
        client_key=pem_files["client_key"],
        tls_min_version="1.2",
        tls_max_version="1.3",
        ciphers="ECDHE+AESGCM",
        data_mode=DataMode.EPRT,
        trust_pasv_address=True,
        active_port_range=(50000, 50100),
        source_ip="10.1.2.3",
        connect_timeout=7.5,
        reply_timeout=120.0,
        connect_retries=3,
        keepalive_seconds=30,
        noop_seconds=240,
        contention_retries=4,
        contention_wait=45.5,
        server_type=ServerType.MVS,
        charset="latin-1",
        local_folder=local_folder,
        remote_folder="'USER1.JCL'",
        site_commands=("SITE RECFM=FB LRECL=80 BLKSIZE=27920", "SITE FILETYPE=SEQ"),
        transfer_rules=(TransferRule("*.zip", "binary"), TransferRule("*.JCL", "ascii")),
        parallel_transfers=5,
    )


def unchanged_fields(profile: SiteProfile) -> list[str]:
    """Fields of ``profile`` still at their default (the builder must leave none)."""
    default = SiteProfile()
    return [item.name for item in fields(SiteProfile) if getattr(profile, item.name) == getattr(default, item.name)]
